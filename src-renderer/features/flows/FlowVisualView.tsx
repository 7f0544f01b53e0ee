import { useEffect, useMemo, useState } from 'react';
import type { NormalizedStep } from '../../../src-shared/domain/flow';
import { addStep, freshStepId, kindOf, moveStep, readFlow, removeStep, updateStep, type StepObject } from './flow-yaml';
import { useFlowDocs } from './flows-store';
import { StepEditForm } from './StepEditForm';
import { StepSummary } from './StepSummary';

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
  if (cycle) return <div className="error-text">cycle: {[...ancestors, id].join(' → ')}</div>;
  if (ancestors.length >= MAX_DEPTH) return <div className="error-text">nested more than {MAX_DEPTH} deep</div>;
  if (entry === undefined || entry === 'loading') return <div className="muted">loading {id}…</div>;
  if (!entry.ok) return <div className="error-text">{id}: {entry.error}</div>;
  const doc = entry.flow.document;
  return (
    <div className="visual-child" data-testid="visual-child" data-flow={id}>
      <div className="visual-child-head">
        <strong>{doc.id}</strong> v{entry.flow.version} <span className="chip">{doc.mode}</span> <span className="muted">{doc.name}</span>
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
    <div className={`visual-step kind-${kind}`} data-testid="visual-step" data-path={path} data-kind={kind}>
      <div className="visual-step-head">
        <span className="visual-step-index">{index + 1}</span>
        <span className={`kind kind-${kind}`}>{kind}</span>
        <strong className="mono">{path}</strong>
        {step.name !== undefined && <span className="muted">{text(step.name)}</span>}
        <span className="spacer" />
        {edit && !editing && (
          <span className="visual-step-tools">
            <button type="button" className="btn-icon" title="Move up" aria-label={`Move ${id} up`} disabled={index === 0} onClick={() => edit.move(index - 1)} data-testid="step-up">
              ↑
            </button>
            <button
              type="button"
              className="btn-icon"
              title="Move down"
              aria-label={`Move ${id} down`}
              disabled={index === edit.count - 1}
              onClick={() => edit.move(index + 1)}
              data-testid="step-down"
            >
              ↓
            </button>
            <button type="button" className="btn btn-small" onClick={() => setEditing(true)} data-testid="step-edit">
              Edit
            </button>
            {confirmRemove ? (
              <>
                <button type="button" className="btn btn-small btn-danger" onClick={edit.remove} data-testid="step-remove-confirm">
                  Remove {id}
                </button>
                <button type="button" className="btn btn-small" onClick={() => setConfirmRemove(false)}>
                  Keep
                </button>
              </>
            ) : (
              <button type="button" className="btn btn-small" onClick={() => setConfirmRemove(true)} data-testid="step-remove">
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
    <div className="visual-header" data-testid="visual-header">
      <div>
        <strong className="mono">{text(flow.id)}</strong> <span className="chip">{text(flow.mode) || 'serial'}</span> {text(flow.name)}
      </div>
      {typeof flow.description === 'string' && flow.description !== '' && <div className="muted">{flow.description}</div>}
      <dl className="facts">
        <dt>Targets</dt>
        <dd className="mono">{flow.targets === undefined ? 'all enabled elements' : text(flow.targets)}</dd>
        {params.length > 0 && (
          <>
            <dt>Params</dt>
            <dd className="mono">{params.map((p) => `${text(p.name)}${p.default !== undefined ? `=${text(p.default)}` : ''}${p.required ? ' (required)' : ''}`).join(', ')}</dd>
          </>
        )}
        {controls.length > 0 && (
          <>
            <dt>Controls</dt>
            <dd className="mono">{controls.join(', ')}</dd>
          </>
        )}
      </dl>
      {typeof flow.processing === 'string' && flow.processing.trim() !== '' && (
        <details>
          <summary>Processing script</summary>
          <pre className="step-code">{flow.processing}</pre>
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
      <div className="visual" data-testid="flow-visual">
        <p className="error-text">The YAML does not parse ({read.error}); fix it in the YAML tab.</p>
      </div>
    );
  }
  const selfId = text(read.flow.id);
  return (
    <div className="visual" data-testid="flow-visual">
      <FlowHeader flow={read.flow} />
      <div className="visual-steps">
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
      <div className="actions">
        <button type="button" className="btn" onClick={() => onChange(addStep(source, { id: freshStepId(read.steps), run: 'echo "{{ element.id }}"' }))} data-testid="add-step">
          + run step
        </button>
        <button type="button" className="btn" onClick={() => onChange(addStep(source, { id: freshStepId(read.steps), sleep: 5 }))}>
          + sleep step
        </button>
        <button type="button" className="btn" onClick={() => onChange(addStep(source, { id: freshStepId(read.steps), approval: 'Go on?' }))} data-testid="add-approval-step">
          + approval step
        </button>
      </div>
    </div>
  );
}
