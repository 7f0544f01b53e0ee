import { describe, expect, it } from 'vitest';
import type { ExecutionStatus, StepRunRecord } from '../../../src-shared/domain/execution';
import { controlsFor, pauseStateOf } from './control';

const none = { pause: false, unpause: false, cancel: false, retry: false, resumeFromFailure: false };

describe('controlsFor', () => {
  it('offers pause and cancel while an execution is queued or running', () => {
    for (const status of ['queued', 'running'] as ExecutionStatus[]) {
      expect(controlsFor({ status, pauseRequested: false })).toEqual({ ...none, pause: true, cancel: true });
    }
  });

  it('offers resume (not pause again) once paused or asked to pause, and cancel still', () => {
    expect(controlsFor({ status: 'paused', pauseRequested: true })).toEqual({ ...none, unpause: true, cancel: true });
    expect(controlsFor({ status: 'paused', pauseRequested: false })).toEqual({ ...none, unpause: true, cancel: true });
    expect(controlsFor({ status: 'running', pauseRequested: true })).toEqual({ ...none, unpause: true, cancel: true });
  });

  it('offers retry failed and resume from failure after a failure, a cancel or an interruption', () => {
    for (const status of ['failed', 'cancelled', 'interrupted'] as ExecutionStatus[]) {
      expect(controlsFor({ status, pauseRequested: false })).toEqual({ ...none, retry: true, resumeFromFailure: true });
    }
  });

  it('offers nothing on a success, even with a stale pause flag', () => {
    expect(controlsFor({ status: 'succeeded', pauseRequested: true })).toEqual(none);
  });
});

let id = 1;
const run = (status: StepRunRecord['status'], kind = 'run'): StepRunRecord => ({
  id: id++,
  executionId: 1,
  element: 'e',
  step: 's',
  kind,
  attempt: 1,
  status,
  exitCode: null,
  signal: null,
  error: null,
  startedAt: 1,
  finishedAt: null,
});

describe('pauseStateOf', () => {
  it('counts the step runs a requested pause still waits for, not a waiting approval', () => {
    const runs = [run('running'), run('running'), run('succeeded'), run('running', 'approval')];
    expect(pauseStateOf({ status: 'running', pauseRequested: true }, runs)).toEqual({ kind: 'pausing', stillRunning: 2 });
  });

  it('is paused once the status says so, and nothing without a request', () => {
    expect(pauseStateOf({ status: 'paused', pauseRequested: true }, [])).toEqual({ kind: 'paused' });
    expect(pauseStateOf({ status: 'running', pauseRequested: false }, [run('running')])).toBeNull();
    expect(pauseStateOf({ status: 'failed', pauseRequested: true }, [])).toBeNull();
  });
});
