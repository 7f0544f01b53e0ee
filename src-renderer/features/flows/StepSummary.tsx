import type { ReactNode } from 'react';
import type { StepObject } from './flow-yaml';
import { kindOf } from './flow-yaml';
import chipCss from '../../ui/chip.module.css';
import executionCss from '../executions/execution.module.css';
import textCss from '../../ui/text.module.css';
import visualCss from './visual-view.module.css';

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function pairs(v: unknown): string {
  if (typeof v !== 'object' || v === null) return text(v);
  return Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${k}=${text(x)}`)
    .join('  ');
}

/** The key fields of one step, whatever its kind: what an operator needs to read at a glance. */
export function StepSummary({ step }: { step: StepObject }) {
  const kind = kindOf(step);
  const retries = step.retries as { count?: number; delay?: number; backoff?: number } | undefined;
  let main: ReactNode;
  switch (kind) {
    case 'run':
      main = <pre className={visualCss.stepCode}>$ {text(step.run)}</pre>;
      break;
    case 'script': {
      const lines = text(step.script).split('\n');
      main = (
        <pre className={visualCss.stepCode}>
          <span className={textCss.muted}>#!{text(step.interpreter) || '/bin/sh'}</span>
          {'\n'}
          {lines.slice(0, 6).join('\n')}
          {lines.length > 6 ? `\n… ${lines.length - 6} more lines` : ''}
        </pre>
      );
      break;
    }
    case 'task':
      main = (
        <div>
          task <strong>{text(step.task)}</strong> {step.with !== undefined && <span className={textCss.mono}>{pairs(step.with)}</span>}
        </div>
      );
      break;
    case 'sleep':
      main = <div>wait {text(step.sleep)} s</div>;
      break;
    case 'http': {
      const h = step.http;
      main =
        typeof h === 'string' ? (
          <div className={textCss.mono}>GET {h}</div>
        ) : (
          <div className={textCss.mono}>
            {text((h as Record<string, unknown> | undefined)?.method) || 'GET'} {text((h as Record<string, unknown> | undefined)?.url)}
          </div>
        );
      break;
    }
    case 'flow':
      main = (
        <div>
          child flow <strong>{text(step.flow)}</strong>
          {step.elements !== undefined && (
            <>
              {' '}
              on <span className={textCss.mono}>{text(step.elements)}</span>
            </>
          )}
          {step.params !== undefined && Object.keys(step.params as object).length > 0 && <span className={textCss.mono}> {pairs(step.params)}</span>}
        </div>
      );
      break;
    case 'approval':
      main = (
        <div>
          waits for an operator’s approval: <q className={executionCss.approvalQuestion}>{text(step.approval)}</q>
        </div>
      );
      break;
    default:
      main = <div className={textCss.errorText}>no step kind (run, script, task, sleep, http, flow or approval)</div>;
  }
  const facts: string[] = [];
  if (step.when !== undefined) facts.push(`when ${text(step.when)}`);
  if (step.timeout !== undefined) facts.push(`timeout ${text(step.timeout)}s`);
  if (retries) facts.push(`retries ${retries.count ?? 0}×${retries.delay ? ` every ${retries.delay}s` : ''}${retries.backoff && retries.backoff !== 1 ? ` backoff ${retries.backoff}` : ''}`);
  if (step.continueOnError === true) facts.push('continue on error');
  if (step.target === 'local') facts.push('on this machine');
  if (step.env !== undefined) facts.push(`env ${Object.keys(step.env as object).join(', ')}`);
  return (
    <div className={visualCss.stepSummary}>
      {main}
      {facts.length > 0 && (
        <div className={visualCss.stepFacts}>
          {facts.map((f) => (
            <span key={f} className={chipCss.chip}>
              {f}
            </span>
          ))}
        </div>
      )}
    </div>
  );
}
