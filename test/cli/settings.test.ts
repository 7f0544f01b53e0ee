import { afterAll, describe, expect, it } from 'vitest';
import { Workspace } from '../support/cli';

describe('flowdeck settings get|set', () => {
  const ws = new Workspace();
  afterAll(() => ws.dispose());

  it('reads every setting the Settings page has, and changes one, checked by the same rules', async () => {
    expect(await ws.json(['settings', 'get', '--json'])).toEqual({ retentionDays: null, maxConcurrentExecutions: 8, maxQueuedExecutions: null });
    expect((await ws.run(['settings', 'set', 'retentionDays', '30'])).stdout).toBe('retentionDays = 30\n');
    expect((await ws.run(['settings', 'set', 'maxQueuedExecutions', '5'])).stdout).toBe('maxQueuedExecutions = 5\n');
    expect((await ws.run(['settings', 'get', 'retentionDays'])).stdout).toBe('30\n');
    expect((await ws.run(['settings', 'set', 'maxQueuedExecutions', 'none'])).stdout).toBe('maxQueuedExecutions = none\n');
    const table = (await ws.run(['settings', 'get'])).stdout;
    expect(table).toMatch(/^maxConcurrentExecutions +8 +executions running at once/m);
  });

  it('refuses an unknown key and a value the rules refuse, in one line, changing nothing', async () => {
    for (const [args, message] of [
      [['settings', 'set', 'colour', 'blue'], 'flowdeck: unknown setting "colour" (settings: retentionDays, maxConcurrentExecutions, maxQueuedExecutions)'],
      [['settings', 'set', 'maxConcurrentExecutions', '0'], /^flowdeck: maxConcurrentExecutions cannot be "0": /],
      [['settings', 'set', 'maxConcurrentExecutions', 'none'], /^flowdeck: maxConcurrentExecutions cannot be "none": /],
      [['settings', 'get', 'colour'], /^flowdeck: unknown setting "colour"/],
    ] as const) {
      const r = await ws.run(args);
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toMatch(message);
    }
    expect(await ws.json(['settings', 'get', '--json'])).toEqual({ retentionDays: 30, maxConcurrentExecutions: 8, maxQueuedExecutions: null });
  });
});
