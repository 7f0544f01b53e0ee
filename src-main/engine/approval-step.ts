import type { ApprovalCallStep } from '../../src-shared/domain/flow';
import type { ResolvedElement } from '../../src-shared/domain/inventory';
import type { ApprovalView, StepRunStatus } from '../../src-shared/domain/execution';
import { createApproval, decideApproval, getApproval } from '../store/control-queries';
import { getExecution } from '../store/execution-queries';
import { abortReasonOf, type ExecutionContext, type FlowScope } from './context';
import { attemptStop } from './stop-scope';
import { endStepRun, failBeforeStart, recordResult, splitByWhen, startStepRun, type StepVerdict } from './step-runner';

const when = (ms: number | null): string => (ms === null ? '?' : new Date(ms).toISOString());

/** The step run's ending and its log line, from the answer (or from why nobody answered). */
function outcomeOf(answer: ApprovalView | null, signal: AbortSignal): { status: StepRunStatus; line: string; error: string | null } {
  if (answer?.status === 'approved') {
    return { status: 'succeeded', line: `approved by ${answer.decidedBy ?? '?'} at ${when(answer.decidedAt)}${answer.comment ? `: ${answer.comment}` : ''}`, error: null };
  }
  if (answer?.status === 'rejected') {
    const text = `rejected by ${answer.decidedBy ?? '?'} at ${when(answer.decidedAt)}${answer.comment ? `: ${answer.comment}` : ''}`;
    return { status: 'failed', line: text, error: text };
  }
  const reason = abortReasonOf(signal);
  if (reason?.kind === 'timeout') return { status: 'timed-out', line: `nobody answered within ${reason.seconds} s`, error: `no answer within ${reason.seconds} s` };
  const message = reason?.message ?? 'the approval was withdrawn';
  return { status: 'cancelled', line: message, error: message };
}

/**
 * An `approval` step for `elements` (one in a serial flow, the batch's running elements in a
 * parallel one): ONE question for all of them, a step run per element that stays `running`
 * until an operator answers from any process (`flowdeck approve`, the console). Approved:
 * the step succeeds; rejected: it fails (and the flow's failure rules apply).
 */
export async function runApprovalStep(
  scope: FlowScope,
  step: ApprovalCallStep,
  elements: ResolvedElement[],
  element: ResolvedElement | null,
): Promise<Map<string, StepVerdict>> {
  const { ctx } = scope;
  const { deps } = ctx;
  const verdicts = new Map<string, StepVerdict>();
  const stop = scope.abort.signal;
  await ctx.gate.pass(stop);
  if (stop.aborted) {
    for (const el of elements) verdicts.set(el.id, 'cancelled');
    return verdicts;
  }
  const { go: askFor, whenErrors } = await splitByWhen(scope, step, elements, verdicts);
  for (const [id, err] of whenErrors) {
    const el = elements.find((e) => e.id === id) as ResolvedElement;
    verdicts.set(id, failBeforeStart(scope, el, step, err));
  }
  if (askFor.length === 0) return verdicts;

  const asked = await askOperator(ctx, {
    step: scope.prefix + step.id,
    element: element?.id ?? (askFor.length === 1 ? (askFor[0] as ResolvedElement).id : null),
    message: step.approval,
    stop,
    timeoutSeconds: step.timeout,
    onAsked: (approval) => {
      const targets = askFor.map((e) => e.id).join(', ');
      const runs = askFor.map((el) => ({ el, id: startStepRun(scope, el, step, 1), at: Date.now() }));
      for (const r of runs) {
        ctx.logs.write(r.id, 'system', `waiting for approval: ${approval.message}\n(for ${targets}; answer with \`flowdeck approve ${ctx.executionId}\` or in the console)\n`);
      }
      ctx.logs.flush();
      return runs;
    },
  });
  const { answer, signal, approval, runs } = asked;
  const outcome = outcomeOf(answer?.status === 'cancelled' ? null : answer, signal);
  for (const r of runs) {
    ctx.logs.write(r.id, 'system', outcome.line + '\n');
    endStepRun(scope, r.el, step, r.id, 1, r.at, {
      status: outcome.status,
      error: outcome.error,
      finishedAt: Date.now(),
      result: { approval: approval.id, decision: answer?.status ?? 'cancelled', by: answer?.decidedBy ?? null, at: answer?.decidedAt ?? null },
    });
    recordResult(scope, r.el, step.id, { status: outcome.status, exitCode: null, stdout: '', stderr: '' });
    const verdict: StepVerdict = outcome.status === 'succeeded' ? 'ok' : outcome.status === 'cancelled' ? 'cancelled' : 'failed';
    verdicts.set(r.el.id, verdict === 'failed' && step.continueOnError ? 'ok' : verdict);
  }
  const final = getApproval(deps.db, approval.id);
  if (final) deps.events.emit('approval', final);
  return verdicts;
}

export interface AskRequest<T> {
  step: string;
  element: string | null;
  message: string;
  /** Cancel and fail-fast: the question is withdrawn. */
  stop: AbortSignal;
  timeoutSeconds?: number | undefined;
  /** Runs once the question is recorded, before the wait (an approval step starts its step runs here). */
  onAsked(approval: ApprovalView): T;
}

/**
 * Asks the operators of any process (CLI `approve`, the console) and waits: records the
 * question, tells every window and the desktop, and resolves with the answer, or null when
 * nobody answered before `stop` or the timeout (the question is then withdrawn).
 */
export async function askOperator<T>(
  ctx: ExecutionContext,
  req: AskRequest<T>,
): Promise<{ approval: ApprovalView; answer: ApprovalView | null; signal: AbortSignal; runs: T }> {
  const { deps } = ctx;
  const approval = createApproval(deps.db, { executionId: ctx.executionId, step: req.step, element: req.element, message: ctx.logs.redact(req.message) });
  const runs = req.onAsked(approval);
  deps.events.emit('approval', approval);
  const summary = getExecution(deps.db, ctx.executionId);
  if (summary) deps.events.emit('execution', summary);
  deps.events.emit('notice', {
    kind: 'approval',
    executionId: ctx.executionId,
    flow: ctx.rootFlow.id,
    status: summary?.status ?? 'running',
    message: `${ctx.rootFlow.name} (#${ctx.executionId}) waits for approval: ${approval.message}`,
  });
  const waiting = attemptStop(req.stop, req.timeoutSeconds);
  const { signal } = waiting;
  let answer = await deps.control.waitForApproval(approval.id, signal).finally(() => waiting.dispose());
  if (!answer) {
    // Nobody answered; if an answer raced in just now it still counts.
    if (!decideApproval(deps.db, approval.id, 'cancelled', null, null)) answer = getApproval(deps.db, approval.id) ?? null;
  }
  return { approval, answer, signal, runs };
}
