import type { PlanView } from '../../../src-shared/ipc/contract';

/**
 * The dry run: elements in order, then the waves of step runs one after another; runs in one
 * wave go side by side, written `{ a@E1, a@E2 }` as the CLI does.
 */
export function PlanList({ plan }: { plan: PlanView }) {
  return (
    <div className="plan" data-testid="plan-view">
      <div className="plan-head">
        plan for <strong>{plan.flow}</strong> v{plan.version} ({plan.mode}), {plan.elements.length} element(s):{' '}
        <span className="mono" data-testid="plan-elements">
          {plan.elements.join(', ') || '(none)'}
        </span>
      </div>
      <ol className="plan-waves">
        {plan.waves.map((wave, i) => {
          const runs = wave.map((r) => `${r.step}@${r.element}${r.when ? ` [when ${r.when}]` : ''}`);
          return (
            <li key={i} className={wave.length > 1 ? 'plan-wave side-by-side' : 'plan-wave'} data-testid="plan-wave">
              <span className="plan-n">{i + 1}</span>
              <span className="mono">{runs.length > 1 ? `{ ${runs.join(', ')} }` : runs[0]}</span>
            </li>
          );
        })}
      </ol>
      {plan.notes.map((n) => (
        <p key={n} className="warn-text">
          note: {n}
        </p>
      ))}
    </div>
  );
}
