import { useState } from 'react';
import { bridge } from '../../bridge';
import { errorText } from '../../format/error';
import { formatDateTime } from '../../format/time';
import { useSettings } from './settings-store';
import { ConfirmAction } from '../../ui/ConfirmAction';
import { cx } from '../../ui/class-names';
import layoutCss from '../../ui/layout.module.css';
import tableCss from '../../ui/table.module.css';
import textCss from '../../ui/text.module.css';
import { EmptyRow } from '../../ui/EmptyRow';

/** Host keys the app trusts, with their SHA256 fingerprints; removing one makes the next connection ask again. */
export function KnownHostsPanel() {
  const { knownHosts, loadKnownHosts } = useSettings();
  const [confirm, setConfirm] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const remove = async (host: string, port: number): Promise<void> => {
    const r = await bridge.invoke('knownHosts/remove', { host, port });
    setConfirm(null);
    if (!r.ok) setError(errorText(r.error));
    void loadKnownHosts();
  };

  return (
    <section className={layoutCss.panel} aria-labelledby="known-hosts-title" data-testid="known-hosts">
      <h2 id="known-hosts-title">Known hosts</h2>
      <p className={cx(textCss.muted, textCss.small)}>Keys in ~/.ssh/known_hosts are trusted too; they are not listed here.</p>
      {error && <p className={textCss.errorText}>{error}</p>}
      <table className={tableCss.table} data-testid="known-hosts-table">
        <thead>
          <tr>
            <th>Host</th>
            <th className={tableCss.num}>Port</th>
            <th>Key type</th>
            <th>Fingerprint</th>
            <th>Added</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {knownHosts.map((k) => {
            const key = `${k.host}:${k.port}:${k.keyType}`;
            return (
              <tr key={key} data-testid="known-host-row" data-host={k.host}>
                <td className={textCss.mono}>{k.host}</td>
                <td className={tableCss.num}>{k.port}</td>
                <td>{k.keyType}</td>
                <td className={cx(textCss.mono, textCss.small)} data-testid="known-host-fingerprint">
                  {k.fingerprint}
                </td>
                <td>{formatDateTime(k.addedAt)}</td>
                <td className={tableCss.rowActions}>
                  <ConfirmAction
                    verb="Remove"
                    asking={confirm === key}
                    onAsk={() => setConfirm(key)}
                    onKeep={() => setConfirm(null)}
                    onConfirm={() => void remove(k.host, k.port)}
                    testId="known-host-remove"
                  />
                </td>
              </tr>
            );
          })}
          {knownHosts.length === 0 && (
            <EmptyRow columns={6}>
              No host keys stored by the app yet.
            </EmptyRow>
          )}
        </tbody>
      </table>
    </section>
  );
}
