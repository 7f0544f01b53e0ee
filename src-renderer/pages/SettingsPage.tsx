import { useEffect } from 'react';
import { CredentialsPanel } from '../components/CredentialsPanel';
import { KnownHostsPanel } from '../components/KnownHostsPanel';
import { onReconnect } from '../stores/connection';
import { useSettings } from '../stores/settings';

/** Credentials and known hosts. (Retention and limits have no channel in the contract yet.) */
export function SettingsPage() {
  useEffect(() => {
    const load = (): void => {
      void useSettings.getState().loadCredentials();
      void useSettings.getState().loadKnownHosts();
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
    </div>
  );
}
