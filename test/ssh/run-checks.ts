// Shared by the SSH fault, auth and host-key suites: run a flow through the CLI and check
// that a failure left nothing behind (a definite execution status, a final status on every
// step run) and named the host and its cause.
import { createServer } from 'node:net';
import { expect } from 'vitest';
import { finishedExecutionStatuses, type ExecutionReport } from '../../src-shared/domain/execution';
import type { Workspace } from '../support/cli';

export type Run = ExecutionReport['runs'][number];

export interface RunResult {
  code: number | null;
  rep: ExecutionReport;
  stderr: string;
}

export async function loadFlow(ws: Workspace, id: string, yaml: string): Promise<void> {
  const r = await ws.run(['flow', 'import', ws.file(`${id}.yaml`, yaml)]);
  expect(r.code, r.stderr).toBe(0);
}

/** `flowdeck run FLOW --json`: the exit code and the printed execution report. */
export async function runFlow(ws: Workspace, flow: string, env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  const r = await ws.run(['run', flow, '--json'], env);
  let rep: ExecutionReport;
  try {
    rep = JSON.parse(r.stdout) as ExecutionReport;
  } catch {
    throw new Error(`flowdeck run ${flow} printed no JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  return { code: r.code, rep, stderr: r.stderr };
}

/** The last attempt of STEP on ELEMENT; fails the test when there is none. */
export function runOf(rep: ExecutionReport, step: string, element: string): Run {
  const run = rep.runs.filter((r) => r.step === step && r.element === element).at(-1);
  if (!run) throw new Error(`no step run ${step}@${element}; have ${rep.runs.map((r) => `${r.step}@${r.element}`).join(', ')}`);
  return run;
}

/** What a run looked like, for failure messages: `step@element attempt status error`. */
export function describeRuns(rep: ExecutionReport): string {
  return rep.runs.map((r) => `${r.step}@${r.element} #${r.attempt} ${r.status}${r.error ? `: ${r.error}` : ''}`).join('\n');
}

const finalStepStatuses = ['succeeded', 'failed', 'timed-out', 'skipped', 'cancelled'];

/**
 * Nothing is lost: the execution ended with a definite status and every step run it recorded
 * reached a final one; a run that started also finished, and a failed one says why.
 */
export function expectNothingLost(rep: ExecutionReport): void {
  expect(finishedExecutionStatuses, describeRuns(rep)).toContain(rep.status);
  expect(rep.finishedAt).not.toBeNull();
  for (const r of rep.runs) {
    const what = `${r.step}@${r.element} #${r.attempt}`;
    expect(finalStepStatuses, `${what} is ${r.status}`).toContain(r.status);
    if (r.startedAt !== null) expect(r.finishedAt, `${what} started but never finished`).not.toBeNull();
    if (r.status === 'failed') expect(r.error, `${what} failed without saying why`).toBeTruthy();
  }
}

/** A loopback port nobody listens on (the kernel gave it to us, and we let it go again). */
export function unusedLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** A regexp source matching `text` literally. */
export function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A parallel flow, `onFailure: continue`, over `elements`: a first step, then `after`, so a
 * failure drops only its own element and the others show they went on.
 */
export function pairFlow(id: string, elements: string[], first: { id: string; run: string }): string {
  return `
id: ${id}
name: ${id}
mode: parallel
onFailure: continue
targets: { elements: [${elements.join(', ')}] }
steps:
  - { id: ${first.id}, run: '${first.run}' }
  - { id: after, run: 'echo after-{{ element.id }}' }
`;
}
