import type { Migration } from './migration';

/**
 * Finds the step runs still open (pending or running) without reading every step run: start-up
 * recovery closes those left open in an execution that has ended, and it runs at every start,
 * so it must cost the same on a history of millions of step runs as on an empty one. Partial:
 * it holds only the few open ones, and finished step runs leave it.
 */
export const migration003: Migration = {
  version: 3,
  name: 'open-step-runs',
  up(db) {
    db.exec(`CREATE INDEX step_runs_open ON step_runs(execution_id) WHERE status IN ('pending', 'running');`);
  },
};
