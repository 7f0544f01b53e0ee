import { useState, type ChangeEvent } from 'react';
import type { Responses } from '../../../src-shared/ipc/contract';
import { bridge } from '../../bridge';
import { errorText } from '../../format/error';
import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import formCss from '../../ui/form.module.css';
import inventoryCss from './inventory.module.css';
import textCss from '../../ui/text.module.css';

const LIST_MAX = 12;

function ids(list: string[]): string {
  return list.length > LIST_MAX ? `${list.slice(0, LIST_MAX).join(', ')} … (+${list.length - LIST_MAX})` : list.join(', ');
}

/**
 * Paste an inventory or pick a file (Ansible INI/YAML, ~/.ssh/config, Flowdeck YAML: main
 * detects which from the text, the file name breaks ties). Importing twice updates.
 */
export function ImportBox({ onImported }: { onImported: () => void }) {
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState('pasted-inventory');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Responses['inventory/import'] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const pick = (ev: ChangeEvent<HTMLInputElement>): void => {
    const file = ev.target.files?.[0];
    if (!file) return;
    const reader = new FileReader();
    reader.onload = () => {
      setText(typeof reader.result === 'string' ? reader.result : '');
      setFileName(file.name);
      setResult(null);
      setError(null);
    };
    reader.onerror = () => setError(`Could not read ${file.name}: ${reader.error?.message ?? 'unknown error'}`);
    reader.readAsText(file);
    ev.target.value = '';
  };

  const run = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    setResult(null);
    const r = await bridge.invoke('inventory/import', { fileName: fileName.trim() || 'pasted-inventory', text });
    setBusy(false);
    if (!r.ok) {
      setError(errorText(r.error));
      return;
    }
    setResult(r.value);
    onImported();
  };

  return (
    <div className={inventoryCss.importBox} data-testid="import-box">
      <div className={formCss.row}>
        <label className={formCss.fieldInline}>
          File
          <input type="file" onChange={pick} data-testid="import-file" accept=".ini,.yaml,.yml,.cfg,.conf,.txt,text/*" />
        </label>
        <label className={formCss.fieldInline}>
          Name
          <input type="text" value={fileName} onChange={(e) => setFileName(e.target.value)} data-testid="import-file-name" size={24} />
        </label>
        <button type="button" className={cx(buttonCss.btn, buttonCss.primary)} disabled={busy || text.trim() === ''} onClick={() => void run()} data-testid="import-button">
          {busy ? 'Importing…' : 'Import'}
        </button>
      </div>
      <textarea
        className={textCss.mono}
        rows={6}
        value={text}
        spellCheck={false}
        placeholder={'Paste an Ansible INI/YAML inventory, an ~/.ssh/config or Flowdeck YAML.\n[web]\nweb1 ansible_host=10.0.0.11 ansible_user=deploy'}
        onChange={(e) => setText(e.target.value)}
        data-testid="import-text"
        aria-label="Inventory text"
      />
      {result && (
        <div className={textCss.okText} data-testid="import-result" role="status">
          <strong data-testid="import-added">{result.added.length}</strong> added,{' '}
          <strong data-testid="import-updated">{result.updated.length}</strong> updated,{' '}
          <strong data-testid="import-unchanged">{result.unchanged.length}</strong> unchanged
          {result.added.length > 0 && <div className={textCss.muted}>added: {ids(result.added)}</div>}
          {result.updated.length > 0 && <div className={textCss.muted}>updated: {ids(result.updated)}</div>}
        </div>
      )}
      {error && (
        <div className={textCss.errorText} data-testid="import-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
