import { useState } from 'react';
import type { JsonObject } from '../../../src-shared/domain/inventory';
import type { FieldValue, TargetKey } from './flow-yaml';
import type { TargetsView } from './flow-settings';
import { KeyValueEditor } from '../../ui/KeyValueEditor';
import { cx } from '../../ui/class-names';
import flowSettingsCss from './flow-settings.module.css';
import formCss from '../../ui/form.module.css';
import textCss from '../../ui/text.module.css';

interface Props {
  targets: TargetsView;
  /** Group names the inventory knows. */
  groups: string[];
  /** Element ids the inventory knows. */
  elements: string[];
  profiles: string[];
  set: (key: TargetKey, value: FieldValue) => void;
  /** A problem of the expression, from the check or the preview. */
  expressionProblem: string | null;
}

/**
 * Checkboxes for the inventory's names, in the document's order first; a name the document
 * holds but the inventory does not (yet) stays listed, flagged, so unticking it is possible.
 */
function PickList({ label, testId, options, selected, onChange }: { label: string; testId: string; options: string[]; selected: string[]; onChange: (next: string[]) => void }) {
  const unknown = selected.filter((s) => !options.includes(s));
  const all = [...options, ...unknown];
  return (
    <fieldset className={cx(formCss.field, formCss.pickList, flowSettingsCss.targetPick)} data-testid={testId}>
      <legend>{label}</legend>
      {all.length === 0 && <span className={cx(textCss.muted, textCss.small)}>none in the inventory yet</span>}
      {all.map((name) => (
        <label key={name} className={formCss.fieldCheck} title={unknown.includes(name) ? 'not in the inventory' : undefined}>
          <input
            type="checkbox"
            checked={selected.includes(name)}
            onChange={(e) => onChange(e.target.checked ? [...selected, name] : selected.filter((s) => s !== name))}
            data-testid={`${testId}-option`}
            data-value={name}
          />
          <span className={unknown.includes(name) ? cx(textCss.mono, textCss.warnText) : textCss.mono}>{name}</span>
        </label>
      ))}
    </fieldset>
  );
}

/**
 * Remounts the key/value editor when the filters change from outside (the YAML tab): that editor
 * keeps its own rows once open, which is what typing in it needs.
 */
function FiltersField({ filters, set }: { filters: JsonObject; set: Props['set'] }) {
  const external = JSON.stringify(filters);
  const [sync, setSync] = useState({ external, epoch: 0 });
  if (sync.external !== external) setSync({ external, epoch: sync.epoch + 1 });
  return (
    <KeyValueEditor
      key={sync.epoch}
      initial={filters}
      label="Filters (key = value on the effective context; dotted keys reach nested values)"
      testId="targets-filters"
      onChange={(r) => {
        if (!r.ok) return;
        // Our own write: the next render sees the same JSON and keeps this editor (and its focus).
        setSync((s) => ({ ...s, external: JSON.stringify(r.value) }));
        set('filters', r.value);
      }}
    />
  );
}

/** Which elements the flow runs on: profile, groups (any of), explicit elements, filters, expression. */
export function TargetsEditor({ targets, groups, elements, profiles, set, expressionProblem }: Props) {
  const profileOptions = targets.profile !== '' && !profiles.includes(targets.profile) ? [...profiles, targets.profile] : profiles;
  return (
    <fieldset className={flowSettingsCss.flowSettingsSection} data-testid="flow-targets">
      <legend>Targets</legend>
      <p className={cx(textCss.muted, textCss.small)}>Enabled elements matching all that is set; nothing set means every enabled element.</p>
      <label className={cx(formCss.field, formCss.narrow)}>
        <span>Profile</span>
        <select value={targets.profile} onChange={(e) => set('profile', e.target.value)} data-testid="targets-profile">
          <option value="">any profile</option>
          {profileOptions.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      <PickList label="Groups (any of)" testId="targets-groups" options={groups} selected={targets.groups} onChange={(next) => set('groups', next)} />
      <PickList label="Elements (these ids)" testId="targets-elements" options={elements} selected={targets.elements} onChange={(next) => set('elements', next)} />
      <FiltersField filters={targets.filters} set={set} />
      <label className={formCss.field}>
        <span>Expression (JavaScript over `element`; elements for which it is truthy are kept)</span>
        <input
          className={textCss.mono}
          value={targets.expression}
          spellCheck={false}
          placeholder="element.context.role === 'db'"
          aria-invalid={expressionProblem ? true : undefined}
          onChange={(e) => set('expression', e.target.value)}
          data-testid="targets-expression"
        />
        {expressionProblem && (
          <small className={textCss.errorText} role="alert" data-testid="targets-expression-error">
            {expressionProblem}
          </small>
        )}
      </label>
    </fieldset>
  );
}
