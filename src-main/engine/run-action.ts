import type { ResolvedElement } from '../../src-shared/domain/inventory';
import type { StepRunStatus } from '../../src-shared/domain/execution';
import { abortReasonOf, type ExecutionContext } from './context';
import type { PreparedAction } from './prepare-step';
import { sleep } from './limiter';
import { TransportError } from '../transport/types';
import { CAPTURE_LIMIT } from './step-result';

/** Output kept in memory per stream for `steps.<id>.stdout`; the log keeps everything. */


export interface ActionOutcome {
  status: StepRunStatus;
  exitCode: number | null;
  signal: string | null;
  error: string | null;
  stdout: string;
  stderr: string;
  result?: unknown;
}

class Capture {
  private parts: string[] = [];
  private size = 0;
  truncated = false;
  add(text: string): void {
    if (this.size >= CAPTURE_LIMIT) {
      this.truncated = true;
      return;
    }
    const room = CAPTURE_LIMIT - this.size;
    const part = text.length > room ? text.slice(0, room) : text;
    if (part.length < text.length) this.truncated = true;
    this.parts.push(part);
    this.size += part.length;
  }
  text(): string {
    return this.parts.join('');
  }
}

/** The final status of an attempt whose signal was aborted, from the reason it was aborted. */
function abortedStatus(signal: AbortSignal): { status: StepRunStatus; error: string } | undefined {
  const reason = abortReasonOf(signal);
  if (!reason) return undefined;
  if (reason.kind === 'timeout') return { status: 'timed-out', error: `timed out after ${reason.seconds} s; the command was killed` };
  if (reason.kind === 'broken') return { status: 'failed', error: reason.message };
  return { status: 'cancelled', error: reason.message };
}

async function runExec(
  ctx: ExecutionContext,
  element: ResolvedElement,
  action: Extract<PreparedAction, { kind: 'exec' }>,
  stepRunId: number,
  signal: AbortSignal,
): Promise<ActionOutcome> {
  const out = new Capture();
  const err = new Capture();
  const decoder = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  const emit = (stream: 'stdout' | 'stderr', text: string): void => {
    if (text.length === 0) return;
    ctx.logs.write(stepRunId, stream, text);
    (stream === 'stdout' ? out : err).add(text);
  };
  // A UTF-8 character split across two reads stays whole: decode per stream, flush at the end.
  const flushDecoders = (): void => {
    emit('stdout', decoder.stdout.decode());
    emit('stderr', decoder.stderr.decode());
  };
  try {
    const conn = await ctx.pool.get(element, { local: action.local, signal });
    const res = await conn.exec({
      command: action.command,
      ...(action.stdin !== undefined ? { stdin: action.stdin } : {}),
      env: action.env,
      signal,
      onOutput: (stream, data) => emit(stream, decoder[stream].decode(data, { stream: true })),
    });
    flushDecoders();
    const aborted = abortedStatus(signal);
    if (aborted) return { ...aborted, exitCode: res.exitCode, signal: res.signal, stdout: out.text(), stderr: err.text() };
    if (res.exitCode === 0) return { status: 'succeeded', exitCode: 0, signal: null, error: null, stdout: out.text(), stderr: err.text() };
    const error =
      res.exitCode === null
        ? res.signal
          ? `killed by signal ${res.signal}`
          : 'the command ended without an exit status'
        : `exit code ${res.exitCode}`;
    return { status: 'failed', exitCode: res.exitCode, signal: res.signal, error, stdout: out.text(), stderr: err.text() };
  } catch (e) {
    flushDecoders();
    const aborted = abortedStatus(signal);
    if (aborted) return { ...aborted, exitCode: null, signal: null, stdout: out.text(), stderr: err.text() };
    const message = e instanceof TransportError ? e.message : `${element.id}: ${e instanceof Error ? e.message : String(e)}`;
    ctx.logs.write(stepRunId, 'system', message + '\n');
    return { status: 'failed', exitCode: null, signal: null, error: message, stdout: out.text(), stderr: err.text() };
  }
}

async function runHttp(
  ctx: ExecutionContext,
  action: Extract<PreparedAction, { kind: 'http' }>,
  stepRunId: number,
  signal: AbortSignal,
): Promise<ActionOutcome> {
  const body = new Capture();
  try {
    const res = await fetch(action.url, {
      method: action.method,
      headers: action.headers,
      ...(action.body !== undefined ? { body: action.body } : {}),
      signal,
    });
    ctx.logs.write(stepRunId, 'system', `${action.method} ${action.url} -> ${res.status} ${res.statusText}\n`);
    if (res.body) {
      const decoder = new TextDecoder();
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        const text = done ? decoder.decode() : decoder.decode(value, { stream: true });
        ctx.logs.write(stepRunId, 'stdout', text);
        body.add(text);
        if (done) break;
      }
    }
    const result = { status: res.status, statusText: res.statusText, headers: Object.fromEntries(res.headers.entries()) };
    const ok = res.status >= 200 && res.status < 300;
    return {
      status: ok ? 'succeeded' : 'failed',
      exitCode: null,
      signal: null,
      error: ok ? null : `HTTP ${res.status} ${res.statusText}`.trim(),
      stdout: body.text(),
      stderr: '',
      result,
    };
  } catch (e) {
    const aborted = abortedStatus(signal);
    if (aborted) return { ...aborted, exitCode: null, signal: null, stdout: body.text(), stderr: '' };
    const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
    const message = `${action.method} ${action.url} failed: ${e instanceof Error ? e.message : String(e)}${cause}`;
    ctx.logs.write(stepRunId, 'system', message + '\n');
    return { status: 'failed', exitCode: null, signal: null, error: message, stdout: body.text(), stderr: '' };
  }
}

/** Runs one attempt of a prepared step; never throws. */
export async function runAction(
  ctx: ExecutionContext,
  element: ResolvedElement,
  action: PreparedAction,
  stepRunId: number,
  signal: AbortSignal,
): Promise<ActionOutcome> {
  if (action.kind === 'exec') return runExec(ctx, element, action, stepRunId, signal);
  if (action.kind === 'http') return runHttp(ctx, action, stepRunId, signal);
  await sleep(action.seconds * 1000, signal);
  const aborted = abortedStatus(signal);
  if (aborted) return { ...aborted, exitCode: null, signal: null, stdout: '', stderr: '' };
  return { status: 'succeeded', exitCode: null, signal: null, error: null, stdout: '', stderr: '' };
}
