import { hostname } from 'node:os';
import type { Db } from './db';
import { cached } from './statements';

/**
 * Records that `runner` runs the command step now running on `element` in an execution of this
 * process. The transport is told the element, not the step run; the element lock makes that
 * enough, since an element runs one command step at a time across executions (a `target: local`
 * step of another execution in this same process, which runs here and takes no lock, is the one
 * case two could be open at once: the newest open run is taken).
 */
export function recordStepRunRunner(db: Db, element: string, runner: string): void {
  cached(
    db,
    `UPDATE step_runs SET runner = ?
      WHERE id = (SELECT r.id FROM step_runs AS r JOIN executions AS e ON e.id = r.execution_id
                   WHERE r.element_id = ? AND r.status = 'running' AND r.runner IS NULL
                     AND r.kind IN ('run', 'script', 'task') AND e.owner_pid = ? AND e.owner_host = ?
                   ORDER BY r.id DESC LIMIT 1)`,
  ).run(runner, element, process.pid, hostname());
}

