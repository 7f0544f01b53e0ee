import { useMemo, useState } from 'react';
import { EditorActions } from '../../ui/EditorActions';
import { useRecordEditor } from '../../ui/use-record-editor';
import { groupSchema, type Group, type JsonObject } from '../../../src-shared/domain/inventory';
import { bridge } from '../../bridge';
import type { Parsed } from '../../format/json-object';
import { KeyValueEditor } from '../../ui/KeyValueEditor';
import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import formCss from '../../ui/form.module.css';
import inventoryCss from './inventory.module.css';
import layoutCss from '../../ui/layout.module.css';
import textCss from '../../ui/text.module.css';

interface Props {
  /** The stored group, or null for a new one. */
  group: Group | null;
  /** Declared groups, the candidates for children. */
  groupNames: string[];
  /** Elements that name this group, for the operator's reference. */
  members: string[];
  onSaved: (name: string) => void;
  onDeleted: () => void;
  onClose: () => void;
}

/** The group the form describes, or the reasons it is not one yet (by field). */
function check(name: string, vars: Parsed<JsonObject>, children: string[]): { group: Group | null; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  if (!vars.ok) problems.vars = vars.problem;
  const parsed = groupSchema.safeParse({ name: name.trim(), vars: vars.ok ? vars.value : {}, children });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? 'group');
      if (!(key in problems)) problems[key] = issue.message;
    }
  }
  if (children.includes(name.trim())) problems.children = 'a group cannot be its own child';
  return Object.keys(problems).length > 0 || !parsed.success ? { group: null, problems } : { group: parsed.data, problems };
}

/**
 * One group: its name, its variables (merged into every member's context; `a.b` nests) and
 * its child groups (whose members are members of this one too). Saved with `inventory/saveGroup`,
 * which refuses a group that would end up containing itself.
 */
export function GroupEditor({ group, groupNames, members, onSaved, onDeleted, onClose }: Props) {
  const isNew = group === null;
  const [name, setName] = useState(group?.name ?? '');
  const [vars, setVars] = useState<Parsed<JsonObject>>({ ok: true, value: group?.vars ?? {} });
  const [children, setChildren] = useState<string[]>(group?.children ?? []);
  const checked = useMemo(() => check(name, vars, children), [name, vars, children]);
  const editor = useRecordEditor({
    isNew,
    value: checked.group,
    save: (value) => bridge.invoke('inventory/saveGroup', { group: value }),
    remove: () => bridge.invoke('inventory/deleteGroup', { name: group?.name ?? '' }),
    onSaved: (saved) => onSaved(saved.name),
    onDeleted,
  });
  const { busy, error, touched } = editor;
  const problem = (key: string): string | undefined => editor.problem(checked.problems, key);
  const candidates = groupNames.filter((g) => g !== name.trim());

  return (
    <form
      className={cx(layoutCss.panel, inventoryCss.elementEditor)}
      data-testid="group-editor"
      onSubmit={(e) => {
        e.preventDefault();
        void editor.save();
      }}
    >
      <div className={layoutCss.panelHead}>
        <h2>{isNew ? 'New group' : `Group ${group.name}`}</h2>
        <button type="button" className={buttonCss.icon} aria-label="Close editor" onClick={onClose}>
          ×
        </button>
      </div>
      <label className={formCss.field}>
        <span>Name</span>
        <input
          value={name}
          placeholder="eu-west"
          spellCheck={false}
          onChange={(e) => {
            setName(e.target.value);
            editor.touch();
          }}
          aria-invalid={problem('name') ? true : undefined}
          data-testid="group-name"
        />
        {problem('name') && <small className={textCss.errorText}>{problem('name')}</small>}
      </label>
      {!isNew && name.trim() !== group.name && <p className={textCss.warnText}>A new name saves a new group; {group.name} stays as it is.</p>}
      <KeyValueEditor
        initial={group?.vars ?? {}}
        onChange={(r) => {
          setVars(r);
          editor.touch();
        }}
        label="Variables"
        testId="group-vars"
      />
      <fieldset className={cx(formCss.field, formCss.pickList)} data-testid="group-children">
        <legend>Child groups (their members are members of this group too)</legend>
        {candidates.length === 0 && <span className={textCss.muted}>no other group yet</span>}
        {candidates.map((g) => (
          <label key={g} className={formCss.fieldCheck}>
            <input
              type="checkbox"
              checked={children.includes(g)}
              onChange={(e) => {
                setChildren((cs) => (e.target.checked ? [...cs, g] : cs.filter((c) => c !== g)));
                editor.touch();
              }}
              data-testid="group-child"
              data-group={g}
            />
            <span className={textCss.mono}>{g}</span>
          </label>
        ))}
        {problem('children') && <small className={textCss.errorText}>{problem('children')}</small>}
      </fieldset>
      {!isNew && (
        <p className={cx(textCss.muted, textCss.small)} data-testid="group-members">
          {members.length === 0 ? 'No element names this group directly.' : `Direct members: ${members.join(', ')}`}
        </p>
      )}
      {error && (
        <p className={textCss.errorText} role="alert" data-testid="group-error">
          {error}
        </p>
      )}
      <EditorActions
        testId="group"
        name={group?.name ?? ''}
        isNew={isNew}
        busy={busy}
        saveDisabled={touched && !checked.group}
        saveLabel="Save group"
        onDelete={editor.remove}
        onCancel={onClose}
      />
    </form>
  );
}
