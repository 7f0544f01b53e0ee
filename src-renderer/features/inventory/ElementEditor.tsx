import { useMemo, useState } from 'react';
import { EditorActions } from '../../ui/EditorActions';
import { useRecordEditor } from '../../ui/use-record-editor';
import { elementSchema, type Element, type ElementInput, type ResolvedElement } from '../../../src-shared/domain/inventory';
import { bridge } from '../../bridge';
import { jsonProblem } from '../../format/json-problem';
import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import formCss from '../../ui/form.module.css';
import inventoryCss from './inventory.module.css';
import layoutCss from '../../ui/layout.module.css';
import textCss from '../../ui/text.module.css';

interface Form {
  id: string;
  name: string;
  host: string;
  port: string;
  user: string;
  transport: 'ssh' | 'local';
  credential: string;
  jump: string;
  identityFile: string;
  zone: string;
  hostKeyPolicy: '' | 'strict' | 'accept-new';
  profile: string;
  groups: string;
  context: string;
  enabled: boolean;
}

function formOf(e: Element | null): Form {
  return {
    id: e?.id ?? '',
    name: e?.name ?? '',
    host: e?.host ?? '',
    port: e?.port !== undefined ? String(e.port) : '',
    user: e?.user ?? '',
    transport: e?.transport ?? 'ssh',
    credential: e?.credential ?? '',
    jump: e?.jump ?? '',
    identityFile: e?.identityFile ?? '',
    zone: e?.zone ?? '',
    hostKeyPolicy: e?.hostKeyPolicy ?? '',
    profile: e?.profile ?? '',
    groups: (e?.groups ?? []).join(', '),
    context: JSON.stringify(e?.context ?? {}, null, 2),
    enabled: e?.enabled ?? true,
  };
}

/** The element the form describes, or the reasons it is not one yet (by field). */
function toElement(f: Form): { element: ElementInput | null; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  const opt = (v: string): string | undefined => (v.trim() === '' ? undefined : v.trim());
  let context: unknown = {};
  const jp = jsonProblem(f.context.trim() === '' ? '{}' : f.context);
  if (jp) problems.context = `${jp.line}:${jp.column}: ${jp.message}`;
  else {
    context = JSON.parse(f.context.trim() === '' ? '{}' : f.context);
    if (typeof context !== 'object' || context === null || Array.isArray(context)) problems.context = 'must be a JSON object ({ ... })';
  }
  let port: number | undefined;
  if (f.port.trim() !== '') {
    port = Number(f.port);
    if (!Number.isInteger(port)) problems.port = 'must be a whole number';
  }
  const input = {
    id: f.id.trim(),
    name: f.name.trim() || f.id.trim(),
    host: f.host.trim(),
    port,
    user: opt(f.user),
    transport: f.transport,
    credential: opt(f.credential),
    jump: opt(f.jump),
    identityFile: opt(f.identityFile),
    zone: opt(f.zone),
    hostKeyPolicy: f.hostKeyPolicy === '' ? undefined : f.hostKeyPolicy,
    profile: opt(f.profile),
    groups: f.groups.split(/[\s,]+/).filter(Boolean),
    context,
    enabled: f.enabled,
  };
  const parsed = elementSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? 'element');
      if (!(key in problems)) problems[key] = issue.message;
    }
  }
  if (Object.keys(problems).length > 0) return { element: null, problems };
  // Leave out empty optional fields so the stored element stays as small as the operator wrote it.
  const element = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as ElementInput;
  return { element, problems };
}

interface Props {
  /** The stored element (raw, as written), or null for a new one. */
  element: Element | null;
  /** The same element as flows see it (merged context), for reference. */
  resolved: ResolvedElement | null;
  credentials: string[];
  profiles: string[];
  elementIds: string[];
  onSaved: (id: string) => void;
  onDeleted: () => void;
  onClose: () => void;
}

/** Form for one element (the fields of `elementSchema`), saved with `inventory/saveElement`. */
export function ElementEditor({ element, resolved, credentials, profiles, elementIds, onSaved, onDeleted, onClose }: Props) {
  const [form, setForm] = useState<Form>(() => formOf(element));
  const checked = useMemo(() => toElement(form), [form]);
  const isNew = element === null;
  const editor = useRecordEditor({
    isNew,
    value: checked.element,
    save: (value) => bridge.invoke('inventory/saveElement', { element: value }),
    remove: () => bridge.invoke('inventory/deleteElement', { id: element?.id ?? '' }),
    onSaved: (saved) => onSaved(saved.id),
    onDeleted,
  });
  const { busy, error, touched } = editor;

  const set = <K extends keyof Form>(key: K, value: Form[K]): void => {
    setForm((f) => ({ ...f, [key]: value }));
    editor.touch();
  };
  const problem = (key: string): string | undefined => editor.problem(checked.problems, key);

  const text = (key: keyof Form, label: string, extra: { placeholder?: string; list?: string; type?: string } = {}) => (
    <label className={formCss.field}>
      <span>{label}</span>
      <input
        type={extra.type ?? 'text'}
        value={form[key] as string}
        placeholder={extra.placeholder}
        list={extra.list}
        onChange={(e) => set(key, e.target.value as never)}
        data-testid={`element-${key}`}
        aria-invalid={problem(key) ? true : undefined}
        spellCheck={false}
      />
      {problem(key) && <small className={textCss.errorText}>{problem(key)}</small>}
    </label>
  );

  return (
    <form
      className={cx(layoutCss.panel, inventoryCss.elementEditor)}
      data-testid="element-editor"
      onSubmit={(e) => {
        e.preventDefault();
        void editor.save();
      }}
    >
      <div className={layoutCss.panelHead}>
        <h2>{isNew ? 'New element' : `Element ${element.id}`}</h2>
        <button type="button" className={buttonCss.icon} aria-label="Close editor" onClick={onClose}>
          ×
        </button>
      </div>
      <div className={formCss.grid}>
        {text('id', 'Id', { placeholder: 'db1' })}
        {text('name', 'Name', { placeholder: 'same as id' })}
        {text('host', 'Host', { placeholder: 'db1.example.com' })}
        {text('port', 'Port', { placeholder: '22', type: 'number' })}
        {text('user', 'User')}
        <label className={formCss.field}>
          <span>Transport</span>
          <select value={form.transport} onChange={(e) => set('transport', e.target.value as Form['transport'])} data-testid="element-transport">
            <option value="ssh">ssh</option>
            <option value="local">local</option>
          </select>
        </label>
        {text('credential', 'Credential', { list: 'credential-ids' })}
        {text('jump', 'Jump host', { list: 'element-ids', placeholder: 'bastion or user@host:port' })}
        {text('identityFile', 'Identity file', { placeholder: '~/.ssh/id_ed25519' })}
        {text('zone', 'Zone', { placeholder: 'none: runs from here' })}
        <label className={formCss.field}>
          <span>Host key policy</span>
          <select value={form.hostKeyPolicy} onChange={(e) => set('hostKeyPolicy', e.target.value as Form['hostKeyPolicy'])} data-testid="element-hostKeyPolicy">
            <option value="">default (strict)</option>
            <option value="strict">strict</option>
            <option value="accept-new">accept-new</option>
          </select>
        </label>
        {text('profile', 'Profile', { list: 'profile-ids' })}
        {text('groups', 'Groups', { placeholder: 'web, eu' })}
        <label className={cx(formCss.field, formCss.fieldCheck)}>
          <input type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} data-testid="element-enabled" />
          <span>Enabled</span>
        </label>
      </div>
      <label className={formCss.field}>
        <span>Context (JSON object)</span>
        <textarea
          className={textCss.mono}
          rows={8}
          value={form.context}
          spellCheck={false}
          onChange={(e) => set('context', e.target.value)}
          data-testid="element-context"
          aria-invalid={checked.problems.context ? true : undefined}
        />
        {checked.problems.context && (
          <small className={textCss.errorText} data-testid="element-context-error">
            {checked.problems.context}
          </small>
        )}
      </label>
      {resolved && (
        <details className={inventoryCss.effective} data-testid="element-effective">
          <summary>Effective context (profile and groups merged)</summary>
          <pre className={textCss.mono}>{JSON.stringify(resolved.context, null, 2)}</pre>
        </details>
      )}
      {!isNew && form.id.trim() !== element.id && (
        <p className={textCss.warnText}>A new id saves a new element; {element.id} stays as it is.</p>
      )}
      {problem('element') && <p className={textCss.errorText}>{problem('element')}</p>}
      {error && (
        <p className={textCss.errorText} data-testid="element-error" role="alert">
          {error}
        </p>
      )}
      <EditorActions
        testId="element"
        name={element?.id ?? ''}
        isNew={isNew}
        busy={busy}
        saveDisabled={touched && !checked.element}
        saveLabel="Save"
        onDelete={editor.remove}
        onCancel={onClose}
      />
      <datalist id="credential-ids">
        {credentials.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      <datalist id="profile-ids">
        {profiles.map((p) => (
          <option key={p} value={p} />
        ))}
      </datalist>
      <datalist id="element-ids">
        {elementIds.map((p) => (
          <option key={p} value={p} />
        ))}
      </datalist>
    </form>
  );
}
