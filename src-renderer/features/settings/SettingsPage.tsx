import { useEffect } from 'react';
import { CredentialsPanel } from './CredentialsPanel';
import { KnownHostsPanel } from './KnownHostsPanel';
import { LimitsPanel } from './LimitsPanel';
import { ThemePanel } from './ThemePanel';
import { TriggersPanel } from './TriggersPanel';
import { WebhooksPanel } from './WebhooksPanel';
import { useHooks } from './hooks-store';
import { onReconnect } from '../../shell/connection';
import { useSettings } from './settings-store';
import { cx } from '../../ui/class-names';
import layoutCss from '../../ui/layout.module.css';
import settingsCss from './settings.module.css';

/** Credentials, known hosts, retention and limits, HTTP triggers and webhooks. */
export function SettingsPage() {
  useEffect(() => {
    const load = (): void => {
      void useSettings.getState().loadCredentials();
      void useSettings.getState().loadKnownHosts();
      void useSettings.getState().loadView();
      void useHooks.getState().loadTriggers();
      void useHooks.getState().loadWebhooks();
      void useHooks.getState().loadFlows();
    };
    load();
    return onReconnect(load);
  }, []);
  return (
    <div className={cx(settingsCss.pageSettings, layoutCss.scroll)}>
      <div className={layoutCss.pageHead}>
        <h1>Settings</h1>
      </div>
      <ThemePanel />
      <CredentialsPanel />
      <KnownHostsPanel />
      <LimitsPanel />
      <TriggersPanel />
      <WebhooksPanel />
    </div>
  );
}
