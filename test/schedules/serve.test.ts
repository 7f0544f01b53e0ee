import { afterAll, describe, expect, it } from 'vitest';
import type { ScheduleView } from '../../src-shared/domain/schedule';
import { fakeRenderer } from '../ipc/harness';
import { collect, waitFor, Workspace } from '../support/cli';
import { commandFlow, everySecond } from './support';

interface Listed {
  id: number;
  flow: string;
}

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
      const runs = async (): Promise<Listed[]> => (await ws.json<Listed[]>(['executions', 'list', '--json'])).filter((e) => e.flow === 'served');
      await waitFor('runs started by serve', async () => (await runs()).length >= 2, 30_000);
      expect((await ws.run(['schedule', 'disable', String(s.id)])).code).toBe(0);
      await waitFor('serve to stop firing', async () => {
        const a = (await runs()).length;
        await new Promise((r) => setTimeout(r, 2000));
        return (await runs()).length === a;
      }, 30_000);
    } finally {
      serve.kill('SIGINT');
      await ended;
    }
  });
});
