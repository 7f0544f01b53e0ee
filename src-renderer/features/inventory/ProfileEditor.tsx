import { useMemo, useState } from 'react';
import { EditorActions } from '../../ui/EditorActions';
import { useRecordEditor } from '../../ui/use-record-editor';
import { profileSchema, type JsonObject, type Profile } from '../../../src-shared/domain/inventory';
import { bridge } from '../../bridge';
import type { Parsed } from '../../format/json-object';
import { KeyValueEditor } from '../../ui/KeyValueEditor';
import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import formCss from '../../ui/form.module.css';
import inventoryCss from './inventory.module.css';
import layoutCss from '../../ui/layout.module.css';
import textCss from '../../ui/text.module.css';

interface Form {
  id: string;
  name: string;
  port: string;
  user: string;
  credential: string;
}

interface Props {
  /** The stored profile, or null for a new one. */
  profile: Profile | null;
  /** Credential ids the operator can pick (`credentials/list`). */
  credentials: string[];
  /** Elements of this profile, for reference. */
  members: string[];
  onSaved: (id: string) => void;
  onDeleted: () => void;
  onClose: () => void;
}

function check(f: Form, context: Parsed<JsonObject>): { profile: Profile | null; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  if (!context.ok) problems.context = context.problem;
  let port: number | undefined;
  if (f.port.trim() !== '') {
    port = Number(f.port);
    if (!Number.isInteger(port)) problems.port = 'must be a whole number';
  }
  const opt = (v: string): string | undefined => (v.trim() === '' ? undefined : v.trim());
  const input = { id: f.id.trim(), name: opt(f.name), port, user: opt(f.user), credential: opt(f.credential), context: context.ok ? context.value : {} };
  const parsed = profileSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? 'profile');
      if (!(key in problems)) problems[key] = issue.message;
    }
  }
  if (Object.keys(problems).length > 0 || !parsed.success) return { profile: null, problems };
  // Leave out empty optional fields so the stored profile stays as small as the operator wrote it.
  return { profile: Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) as Profile, problems };
}

/** A profile: a kind of element with defaults for port, user, credential and context. */
export function ProfileEditor({ profile, credentials, members, onSaved, onDeleted, onClose }: Props) {
  const isNew = profile === null;
  const [form, setForm] = useState<Form>({
    id: profile?.id ?? '',
    name: profile?.name ?? '',
    port: profile?.port !== undefined ? String(profile.port) : '',
    user: profile?.user ?? '',
    credential: profile?.credential ?? '',
  });
  const [context, setContext] = useState<Parsed<JsonObject>>({ ok: true, value: profile?.context ?? {} });
  const checked = useMemo(() => check(form, context), [form, context]);
  const editor = useRecordEditor({
    isNew,
    value: checked.profile,
    save: (value) => bridge.invoke('inventory/saveProfile', { profile: value }),
    remove: () => bridge.invoke('inventory/deleteProfile', { id: profile?.id ?? '' }),
    onSaved: (saved) => onSaved(saved.id),
    onDeleted,
  });
  const { busy, error, touched } = editor;
  const problem = (key: string): string | undefined => editor.problem(checked.problems, key);
  // A credential the list does not know (deleted since) stays selectable so saving does not drop it silently.
  const credentialIds = form.credential && !credentials.includes(form.credential) ? [...credentials, form.credential] : credentials;

  const set = (key: keyof Form, value: string): void => {
    setForm((f) => ({ ...f, [key]: value }));
    editor.touch();
  };

  const text = (key: keyof Form, label: string, extra: { placeholder?: string; type?: string } = {}) => (
    <label className={formCss.field}>
      <span>{label}</span>
      <input
        type={extra.type ?? 'text'}
        value={form[key]}
        placeholder={extra.placeholder}
        spellCheck={false}
        onChange={(e) => set(key, e.target.value)}
        aria-invalid={problem(key) ? true : undefined}
        data-testid={`profile-${key}`}
      />
      {problem(key) && <small className={textCss.errorText}>{problem(key)}</small>}
    </label>
  );

  return (
    <form
      className={cx(layoutCss.panel, inventoryCss.elementEditor)}
      data-testid="profile-editor"
      onSubmit={(e) => {
        e.preventDefault();
        void editor.save();
      }}
    >
      <div className={layoutCss.panelHead}>
        <h2>{isNew ? 'New profile' : `Profile ${profile.id}`}</h2>
        <button type="button" className={buttonCss.icon} aria-label="Close editor" onClick={onClose}>
          ×
        </button>
      </div>
      <div className={formCss.grid}>
        {text('id', 'Id', { placeholder: 'postgres' })}
        {text('name', 'Name', { placeholder: 'PostgreSQL server' })}
        {text('port', 'Default port', { placeholder: '22', type: 'number' })}
        {text('user', 'Default user')}
        <label className={formCss.field}>
          <span>Default credential</span>
          <select value={form.credential} onChange={(e) => set('credential', e.target.value)} data-testid="profile-credential">
            <option value="">(none)</option>
            {credentialIds.map((c) => (
              <option key={c} value={c}>
                {c}
                {credentials.includes(c) ? '' : ' (unknown)'}
              </option>
            ))}
          </select>
        </label>
      </div>
      {!isNew && form.id.trim() !== profile.id && <p className={textCss.warnText}>A new id saves a new profile; {profile.id} stays as it is.</p>}
      <KeyValueEditor
        initial={profile?.context ?? {}}
        onChange={(r) => {
          setContext(r);
          editor.touch();
        }}
        label="Default context"
        testId="profile-context"
      />
      {!isNew && (
        <p className={cx(textCss.muted, textCss.small)} data-testid="profile-members">
          {members.length === 0 ? 'No element uses this profile.' : `Used by: ${members.join(', ')}`}
        </p>
      )}
      {error && (
        <p className={textCss.errorText} role="alert" data-testid="profile-error">
          {error}
        </p>
      )}
      <EditorActions
        testId="profile"
        name={profile?.id ?? ''}
        isNew={isNew}
        busy={busy}
        saveDisabled={touched && !checked.profile}
        saveLabel="Save profile"
        onDelete={editor.remove}
        onCancel={onClose}
      />
    </form>
  );
}
