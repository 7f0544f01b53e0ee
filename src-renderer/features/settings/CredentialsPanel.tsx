import { useState, type ChangeEvent } from 'react';
import type { CredentialKind } from '../../../src-shared/domain/credential';
import { bridge } from '../../bridge';
import { errorText } from '../../format/error';
import { formatDateTime } from '../../format/time';
import { useSettings } from './settings-store';
import { ConfirmAction } from '../../ui/ConfirmAction';
import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import formCss from '../../ui/form.module.css';
import layoutCss from '../../ui/layout.module.css';
import settingsCss from './settings.module.css';
import tableCss from '../../ui/table.module.css';
import textCss from '../../ui/text.module.css';
import { EmptyRow } from '../../ui/EmptyRow';

interface Form {
  id: string;
  name: string;
  kind: CredentialKind;
  username: string;
}

const EMPTY: Form = { id: '', name: '', kind: 'key', username: '' };

/**
 * Credentials by name; secrets go one way. The secret fields (private key, passphrase, password)
 * are sent once with `credentials/save`, then cleared: main never sends them back, and this
 * page never shows them.
 */
export function CredentialsPanel() {
  const { credentials, loadCredentials } = useSettings();
  const [form, setForm] = useState<Form>(EMPTY);
  const [privateKey, setPrivateKey] = useState('');
  const [keyFile, setKeyFile] = useState<string | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);

  const clearSecrets = (): void => {
    setPrivateKey('');
    setKeyFile(null);
    setPassphrase('');
    setPassword('');
  };

  const pickKey = (ev: ChangeEvent<HTMLInputElement>): void => {
    const file = ev.target.files?.[0];
    ev.target.value = '';
    if (!file) return;
    const reader = new FileReader();
    reader.onload = () => {
      setPrivateKey(typeof reader.result === 'string' ? reader.result : '');
      setKeyFile(file.name);
    };
    reader.onerror = () => setError(`Could not read ${file.name}`);
    reader.readAsText(file);
  };

  const save = async (): Promise<void> => {
    setError(null);
    setSaved(null);
    const id = form.id.trim();
    if (!id) return setError('id is required');
    if (form.kind === 'key' && privateKey.trim() === '') return setError('a key credential needs its private key');
    if (form.kind === 'password' && password === '') return setError('a password credential needs its password');
    setBusy(true);
    const r = await bridge.invoke('credentials/save', {
      id,
      name: form.name.trim() || id,
      kind: form.kind,
      ...(form.username.trim() ? { username: form.username.trim() } : {}),
      ...(form.kind === 'key' ? { privateKey, ...(passphrase ? { passphrase } : {}) } : {}),
      ...(form.kind === 'password' ? { password } : {}),
    });
    setBusy(false);
    // Whatever the answer, the secrets leave the page now.
    clearSecrets();
    if (!r.ok) {
      setError(`${errorText(r.error)} (secret fields were cleared: enter them again)`);
      return;
    }
    setSaved(`saved ${r.value.id}${r.value.fingerprint ? ` (${r.value.fingerprint})` : ''}`);
    setForm(EMPTY);
    void loadCredentials();
  };

  const remove = async (id: string): Promise<void> => {
    const r = await bridge.invoke('credentials/delete', { id });
    setConfirmDelete(null);
    if (!r.ok) setError(errorText(r.error));
    void loadCredentials();
  };

  return (
    <section className={layoutCss.panel} aria-labelledby="credentials-title" data-testid="credentials">
      <h2 id="credentials-title">Credentials</h2>
      <table className={tableCss.table} data-testid="credentials-table">
        <thead>
          <tr>
            <th>Id</th>
            <th>Name</th>
            <th>Kind</th>
            <th>User</th>
            <th>Key fingerprint</th>
            <th>Updated</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {credentials.map((c) => (
            <tr key={c.id} data-testid="credential-row" data-credential={c.id}>
              <td className={textCss.mono}>{c.id}</td>
              <td>{c.name}</td>
              <td>
                {c.kind}
                {c.hasPassphrase && <span className={textCss.muted}> + passphrase</span>}
              </td>
              <td>{c.username ?? <span className={textCss.muted}>—</span>}</td>
              <td className={cx(textCss.mono, textCss.small)}>{c.fingerprint ?? ''}</td>
              <td>{formatDateTime(c.updatedAt)}</td>
              <td className={tableCss.rowActions}>
                <ConfirmAction
                  verb="Delete"
                  asking={confirmDelete === c.id}
                  onAsk={() => setConfirmDelete(c.id)}
                  onKeep={() => setConfirmDelete(null)}
                  onConfirm={() => void remove(c.id)}
                  testId="credential-delete"
                />
              </td>
            </tr>
          ))}
          {credentials.length === 0 && (
            <EmptyRow columns={7}>
              No credentials: elements use their identity file, ssh-agent or ~/.ssh/id_*.
            </EmptyRow>
          )}
        </tbody>
      </table>
      <form
        className={settingsCss.credentialForm}
        autoComplete="off"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
        data-testid="credential-form"
      >
        <h3>Add or replace</h3>
        <div className={formCss.grid}>
          <label className={formCss.field}>
            <span>Id</span>
            <input value={form.id} onChange={(e) => setForm({ ...form, id: e.target.value })} spellCheck={false} data-testid="credential-id" />
          </label>
          <label className={formCss.field}>
            <span>Name</span>
            <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} data-testid="credential-name" />
          </label>
          <label className={formCss.field}>
            <span>Kind</span>
            <select
              value={form.kind}
              onChange={(e) => {
                clearSecrets();
                setForm({ ...form, kind: e.target.value as CredentialKind });
              }}
              data-testid="credential-kind"
            >
              <option value="key">private key</option>
              <option value="password">password</option>
              <option value="agent">ssh-agent</option>
            </select>
          </label>
          <label className={formCss.field}>
            <span>User (optional)</span>
            <input value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} data-testid="credential-username" />
          </label>
        </div>
        {form.kind === 'key' && (
          <>
            <div className={formCss.row}>
              <label className={formCss.fieldInline}>
                Private key file
                <input type="file" onChange={pickKey} data-testid="credential-key-file" />
              </label>
              {keyFile && <span className={textCss.muted}>{keyFile} read ({privateKey.length} characters)</span>}
            </div>
            <label className={formCss.field}>
              <span>or paste the private key</span>
              <textarea
                className={cx(textCss.mono, settingsCss.secretText)}
                rows={4}
                value={keyFile ? '' : privateKey}
                placeholder={keyFile ? `(from ${keyFile})` : '-----BEGIN OPENSSH PRIVATE KEY-----'}
                onChange={(e) => {
                  setKeyFile(null);
                  setPrivateKey(e.target.value);
                }}
                spellCheck={false}
                autoComplete="off"
                data-testid="credential-private-key"
              />
            </label>
            <label className={formCss.field}>
              <span>Passphrase (if the key has one)</span>
              <input type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoComplete="new-password" data-testid="credential-passphrase" />
            </label>
          </>
        )}
        {form.kind === 'password' && (
          <label className={formCss.field}>
            <span>Password</span>
            <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" data-testid="credential-password" />
          </label>
        )}
        {form.kind === 'agent' && <p className={textCss.muted}>Uses the keys loaded in ssh-agent (SSH_AUTH_SOCK); nothing secret is stored.</p>}
        {error && (
          <p className={textCss.errorText} role="alert" data-testid="credential-error">
            {error}
          </p>
        )}
        {saved && (
          <p className={textCss.okText} data-testid="credential-saved">
            {saved}
          </p>
        )}
        <div className={formCss.actions}>
          <span className={textCss.spacer} />
          <button type="submit" className={cx(buttonCss.btn, buttonCss.primary)} disabled={busy} data-testid="credential-save">
            {busy ? 'Saving…' : 'Save credential'}
          </button>
        </div>
      </form>
    </section>
  );
}
