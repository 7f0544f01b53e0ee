import type { PlanView } from '../../../src-shared/ipc/contract';
import { cx } from '../../ui/class-names';
import runCss from './run-dialog.module.css';
import textCss from '../../ui/text.module.css';

/**
 * The dry run: elements in order, then the waves of step runs one after another; runs in one
 * wave go side by side, written `{ a@E1, a@E2 }` as the CLI does.
 */
export function PlanList({ plan }: { plan: PlanView }) {
  return (
    <div className={runCss.plan} data-testid="plan-view">
      <div>
        plan for <strong>{plan.flow}</strong> v{plan.version} ({plan.mode}), {plan.elements.length} element(s):{' '}
        <span className={textCss.mono} data-testid="plan-elements">
          {plan.elements.join(', ') || '(none)'}
        </span>
      </div>
      <ol className={runCss.planWaves}>
        {plan.waves.map((wave, i) => {
          const runs = wave.map((r) => `${r.step}@${r.element}${r.when ? ` [when ${r.when}]` : ''}`);
          return (
            <li key={i} className={wave.length > 1 ? cx(runCss.planWave, runCss.sideBySide) : runCss.planWave} data-testid="plan-wave" data-side-by-side={wave.length > 1 ? 'true' : 'false'}>
              <span className={runCss.planN}>{i + 1}</span>
              <span className={cx(textCss.mono, runCss.runs)}>{runs.length > 1 ? `{ ${runs.join(', ')} }` : runs[0]}</span>
            </li>
          );
        })}
      </ol>
      {plan.notes.map((n) => (
        <p key={n} className={textCss.warnText}>
          note: {n}
        </p>
      ))}
    </div>
  );
}
