import { useEffect, useMemo, useState } from 'react';
import type { NormalizedStep } from '../../../src-shared/domain/flow';
import { addStep, freshStepId, kindOf, moveStep, readFlow, removeStep, updateStep, type StepObject } from './flow-yaml';
import { useFlowDocs } from './flows-store';
import { StepEditForm } from './StepEditForm';
import { StepSummary } from './StepSummary';
import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import chipCss from '../../ui/chip.module.css';
import factsCss from '../../ui/facts.module.css';
import formCss from '../../ui/form.module.css';
import textCss from '../../ui/text.module.css';
import visualCss from './visual-view.module.css';

/** Nesting limit, as the engine's. */
const MAX_DEPTH = 8;

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The steps of a saved child flow, nested under the flow step that calls it (read-only). */
function ChildFlow({ id, prefix, ancestors }: { id: string; prefix: string; ancestors: string[] }) {
  const entry = useFlowDocs((s) => s.docs[id]);
  const get = useFlowDocs((s) => s.get);
  const cycle = ancestors.includes(id);
  useEffect(() => {
    if (!cycle && ancestors.length < MAX_DEPTH) void get(id);
  }, [id, get, cycle, ancestors.length]);
  if (cycle) return <div className={textCss.errorText}>cycle: {[...ancestors, id].join(' → ')}</div>;
  if (ancestors.length >= MAX_DEPTH) return <div className={textCss.errorText}>nested more than {MAX_DEPTH} deep</div>;
  if (entry === undefined || entry === 'loading') return <div className={textCss.muted}>loading {id}…</div>;
  if (!entry.ok) return <div className={textCss.errorText}>{id}: {entry.error}</div>;
  const doc = entry.flow.document;
  return (
    <div className={visualCss.visualChild} data-testid="visual-child" data-flow={id}>
      <div>
        <strong>{doc.id}</strong> v{entry.flow.version} <span className={chipCss.chip}>{doc.mode}</span> <span className={textCss.muted}>{doc.name}</span>
      </div>
      {doc.steps.map((s: NormalizedStep, i) => (
        <StepBlock key={s.id} step={s as unknown as StepObject} index={i} prefix={prefix} ancestors={[...ancestors, id]} />
      ))}
    </div>
  );
}

interface BlockProps {
  step: StepObject;
  index: number;
  prefix: string;
  ancestors: string[];
  edit?: {
    count: number;
    move: (to: number) => void;
    remove: () => void;
    update: (patch: Record<string, unknown>) => void;
  };
}

function StepBlock({ step, index, prefix, ancestors, edit }: BlockProps) {
  const [editing, setEditing] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const kind = kindOf(step);
  const id = text(step.id) || `step-${index + 1}`;
  const path = prefix + id;
  return (
    <div className={visualCss.visualStep} data-testid="visual-step" data-path={path} data-kind={kind}>
      <div className={visualCss.visualStepHead}>
        <span className={visualCss.visualStepIndex}>{index + 1}</span>
        <span className={visualCss.kind} data-kind={kind}>{kind}</span>
        <strong className={textCss.mono}>{path}</strong>
        {step.name !== undefined && <span className={textCss.muted}>{text(step.name)}</span>}
        <span className={textCss.spacer} />
        {edit && !editing && (
          <span className={visualCss.visualStepTools}>
            <button type="button" className={buttonCss.icon} title="Move up" aria-label={`Move ${id} up`} disabled={index === 0} onClick={() => edit.move(index - 1)} data-testid="step-up">
              ↑
            </button>
            <button
              type="button"
              className={buttonCss.icon}
              title="Move down"
              aria-label={`Move ${id} down`}
              disabled={index === edit.count - 1}
              onClick={() => edit.move(index + 1)}
              data-testid="step-down"
            >
              ↓
            </button>
            <button type="button" className={cx(buttonCss.btn, buttonCss.small)} onClick={() => setEditing(true)} data-testid="step-edit">
              Edit
            </button>
            {confirmRemove ? (
              <>
                <button type="button" className={cx(buttonCss.btn, buttonCss.small, buttonCss.danger)} onClick={edit.remove} data-testid="step-remove-confirm">
                  Remove {id}
                </button>
                <button type="button" className={cx(buttonCss.btn, buttonCss.small)} onClick={() => setConfirmRemove(false)}>
                  Keep
                </button>
              </>
            ) : (
              <button type="button" className={cx(buttonCss.btn, buttonCss.small)} onClick={() => setConfirmRemove(true)} data-testid="step-remove">
                Remove…
              </button>
            )}
          </span>
        )}
      </div>
      {editing && edit ? (
        <StepEditForm
          step={step}
          onCancel={() => setEditing(false)}
          onApply={(patch) => {
            edit.update(patch);
            setEditing(false);
          }}
        />
      ) : (
        <StepSummary step={step} />
      )}
      {kind === 'flow' && typeof step.flow === 'string' && <ChildFlow id={step.flow} prefix={`${path}/`} ancestors={ancestors} />}
    </div>
  );
}

function FlowHeader({ flow }: { flow: Record<string, unknown> }) {
  const params = Array.isArray(flow.params) ? (flow.params as Array<Record<string, unknown>>) : [];
  const controls = ['concurrency', 'batchSize', 'delayBetweenBatches', 'onFailure', 'maxFailPercent', 'failFast', 'timeout']
    .filter((k) => flow[k] !== undefined)
    .map((k) => `${k}: ${text(flow[k])}`);
  return (
    <div className={visualCss.visualHeader} data-testid="visual-header">
      <div>
        <strong className={textCss.mono}>{text(flow.id)}</strong> <span className={chipCss.chip}>{text(flow.mode) || 'serial'}</span> {text(flow.name)}
      </div>
      {typeof flow.description === 'string' && flow.description !== '' && <div className={textCss.muted}>{flow.description}</div>}
      <dl className={factsCss.facts}>
        <dt>Targets</dt>
        <dd className={textCss.mono}>{flow.targets === undefined ? 'all enabled elements' : text(flow.targets)}</dd>
        {params.length > 0 && (
          <>
            <dt>Params</dt>
            <dd className={textCss.mono}>{params.map((p) => `${text(p.name)}${p.default !== undefined ? `=${text(p.default)}` : ''}${p.required ? ' (required)' : ''}`).join(', ')}</dd>
          </>
        )}
        {controls.length > 0 && (
          <>
            <dt>Controls</dt>
            <dd className={textCss.mono}>{controls.join(', ')}</dd>
          </>
        )}
      </dl>
      {typeof flow.processing === 'string' && flow.processing.trim() !== '' && (
        <details>
          <summary>Processing script</summary>
          <pre className={visualCss.stepCode}>{flow.processing}</pre>
        </details>
      )}
    </div>
  );
}

/**
 * The flow document drawn as blocks, one per step (child flows nested with their own steps).
 * It reads the same YAML the text editor holds; edits (move, remove, edit, add) rewrite it.
 */
export function FlowVisualView({ source, onChange }: { source: string; onChange: (next: string) => void }) {
  const read = useMemo(() => readFlow(source), [source]);
  if (!read.ok) {
    return (
      <div className={visualCss.visual} data-testid="flow-visual">
        <p className={textCss.errorText}>The YAML does not parse ({read.error}); fix it in the YAML tab.</p>
      </div>
    );
  }
  const selfId = text(read.flow.id);
  return (
    <div className={visualCss.visual} data-testid="flow-visual">
      <FlowHeader flow={read.flow} />
      <div className={visualCss.visualSteps}>
        {read.steps.map((step, i) => (
          <StepBlock
            key={`${i}:${text(step.id)}`}
            step={step}
            index={i}
            prefix=""
            ancestors={selfId ? [selfId] : []}
            edit={{
              count: read.steps.length,
              move: (to) => onChange(moveStep(source, i, to)),
              remove: () => onChange(removeStep(source, i)),
              update: (patch) => onChange(updateStep(source, i, patch)),
            }}
          />
        ))}
      </div>
      <div className={formCss.actions}>
        <button type="button" className={buttonCss.btn} onClick={() => onChange(addStep(source, { id: freshStepId(read.steps), run: 'echo "{{ element.id }}"' }))} data-testid="add-step">
          + run step
        </button>
        <button type="button" className={buttonCss.btn} onClick={() => onChange(addStep(source, { id: freshStepId(read.steps), sleep: 5 }))}>
          + sleep step
        </button>
        <button type="button" className={buttonCss.btn} onClick={() => onChange(addStep(source, { id: freshStepId(read.steps), approval: 'Go on?' }))} data-testid="add-approval-step">
          + approval step
        </button>
      </div>
    </div>
  );
}
