import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { EngineHarness } from '../support/engine';
import { createExecution, getExecution, insertStepRun, listStepRuns, markExecutionStarted } from '../../src-main/store/execution-queries';
import { recoverInterrupted, STALE_MS } from '../../src-main/engine/ownership';
import { FlowdeckError } from '../../src-shared/errors';
import { prepareRun } from '../../src-main/engine/executor';

describe('crash recovery owns runs by process id and heartbeat', () => {
  let h: EngineHarness;
  beforeEach(async () => {
    h = await new EngineHarness().open();
    h.flows('id: f\nname: f\ntargets: { elements: [localhost] }\nsteps:\n  - { id: a, run: "true" }\n');
  });
  afterEach(() => h.close());

  const runningBy = (pid: number, host: string, heartbeatAgo: number): number => {
    const id = createExecution(h.rt.db, { flow: 'f', flowVersion: 1, trigger: 'cli', params: {}, elements: ['localhost'], owner: { pid, host } });
    markExecutionStarted(h.rt.db, id, ['localhost']);
    insertStepRun(h.rt.db, { executionId: id, element: 'localhost', step: 'a', kind: 'run', attempt: 1, status: 'running', startedAt: Date.now() });
    h.rt.db.prepare('UPDATE executions SET heartbeat_at = ? WHERE id = ?').run(Date.now() - heartbeatAgo, id);
    return id;
  };

  it('a dead process: interrupted, with its running step runs', async () => {
    const child = spawn('true');
    await new Promise((r) => child.on('close', r));
    const id = runningBy(child.pid as number, h.rt.deps.owner.host, 0);
    expect(recoverInterrupted(h.rt.db, { pid: process.pid + 1_000_000, host: h.rt.deps.owner.host })).toEqual([id]);
    expect(getExecution(h.rt.db, id)?.status).toBe('interrupted');
    expect(listStepRuns(h.rt.db, id).map((r) => r.status)).toEqual(['interrupted']);
  });

  it('a live process with a fresh heartbeat: never touched', () => {
    const id = runningBy(process.pid, h.rt.deps.owner.host, 0);
    expect(recoverInterrupted(h.rt.db, { pid: process.pid + 1_000_000, host: h.rt.deps.owner.host })).toEqual([]);
    expect(getExecution(h.rt.db, id)?.status).toBe('running');
  });

  it('a live pid whose heartbeat went stale (a reused pid): interrupted', () => {
    const id = runningBy(process.pid, h.rt.deps.owner.host, STALE_MS + 1000);
    expect(recoverInterrupted(h.rt.db, { pid: process.pid + 1_000_000, host: h.rt.deps.owner.host })).toEqual([id]);
  });

  it('another machine: judged by the heartbeat alone', () => {
    const fresh = runningBy(1, 'elsewhere', 0);
    const stale = runningBy(1, 'elsewhere', STALE_MS + 1000);
    expect(recoverInterrupted(h.rt.db, h.rt.deps.owner)).toEqual([stale]);
    expect(getExecution(h.rt.db, fresh)?.status).toBe('running');
  });

  it('a cycle that reached the database anyway is refused at run time', async () => {
    h.flows('id: g\nname: g\nsteps:\n  - { id: call, flow: f }\n');
    // Only a hand edit could do this: save refuses cycles.
    const doc = JSON.stringify({ id: 'f', name: 'f', description: '', mode: 'serial', targets: {}, params: [], processing: '', steps: [{ id: 'back', flow: 'g', params: {} }], concurrency: 20, delayBetweenBatches: 0, onFailure: 'stop', maxFailPercent: 100, failFast: false });
    h.rt.db.prepare('UPDATE flow_versions SET document = ? WHERE flow_id = ?').run(doc, 'f');
    await expect(prepareRun(h.rt.deps, { flow: 'g' })).rejects.toThrow(FlowdeckError);
    await expect(prepareRun(h.rt.deps, { flow: 'g' })).rejects.toThrow(/cycle of child flows: g -> f -> g/);
  });
});
