import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScheduleView } from '../../src-shared/domain/schedule';
import { fakeRenderer } from '../ipc/harness';
import { collect, waitFor, Workspace } from '../support/cli';
import { commandFlow, everySecond } from './support';

describe('the scheduler inside `flowdeck serve`', () => {
  const ws = new Workspace();
  afterAll(() => ws.dispose());

  it('fires a schedule another process added while it runs, and stops when another process disables it', async () => {
    expect((await ws.run(['flow', 'import', ws.file('served.yaml', commandFlow('served', 'true'))])).code).toBe(0);
    const serve = ws.spawn(['serve', '--port', '0', '--renderer', fakeRenderer(ws.dir)]);
    const ended = collect(serve);
    let out = '';
    serve.stdout?.on('data', (d: string) => (out += d));
    try {
      await waitFor('the console URL', () => /token=/.test(out), 30_000);
      const s = await ws.json<ScheduleView>(['schedule', 'add', 'served', '--cron', everySecond, '--json']);
      const runs = (scheduleId: number): number => {
        // Read as a third process would: read-only, fresh each time.
        const db = new Database(ws.db, { readonly: true, fileMustExist: true });
        try {
          return (db.prepare('SELECT count(*) AS n FROM executions WHERE schedule_id = ?').get(scheduleId) as { n: number }).n;
        } finally {
          db.close();
        }
      };
      await waitFor('runs started by serve', () => runs(s.id) >= 2, 30_000);
      expect((await ws.run(['schedule', 'disable', String(s.id)])).code).toBe(0);
      // A schedule added after the disable fires only once serve has read the table again, and
      // then the disabled one is gone: its count stays while the new one goes on firing.
      const marker = await ws.json<ScheduleView>(['schedule', 'add', 'served', '--cron', everySecond, '--json']);
      await waitFor('serve to read the change', () => runs(marker.id) >= 1, 30_000);
      const stopped = runs(s.id);
      await waitFor('two more seconds of serve firing', () => runs(marker.id) >= 3, 30_000);
      expect(runs(s.id)).toBe(stopped);
    } finally {
      serve.kill('SIGINT');
      await ended;
    }
  });
});
