import { useEffect } from 'react';
import { CredentialsPanel } from '../components/CredentialsPanel';
import { KnownHostsPanel } from '../components/KnownHostsPanel';
import { LimitsPanel } from '../components/LimitsPanel';
import { onReconnect } from '../stores/connection';
import { useSettings } from '../stores/settings';

/** Credentials, known hosts, retention and limits. */
export function SettingsPage() {
  useEffect(() => {
    const load = (): void => {
      void useSettings.getState().loadCredentials();
      void useSettings.getState().loadKnownHosts();
      void useSettings.getState().loadView();
    };
    load();
    return onReconnect(load);
  }, []);
  return (
    <div className="page-settings scroll">
      <div className="page-head">
        <h1>Settings</h1>
      </div>
      <CredentialsPanel />
      <KnownHostsPanel />
      <LimitsPanel />
    </div>
  );
}
