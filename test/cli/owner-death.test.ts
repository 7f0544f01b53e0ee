// When the process running an execution dies without a word (kill -9), the local commands it
// started must not run on to their end: they are their own process groups, out of reach of
// anything the kernel does to their owner, so the owner's watchdog stops them.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import { collect, waitFor, Workspace } from '../support/cli';
import { groupMembers, groupOf, processesStartingWith } from '../support/process-groups';

describe('owner death: kill -9 of `flowdeck run` stops its local commands', () => {
  const ws = new Workspace();
  const marker = ws.path('marker');
  beforeAll(async () => {
    ws.file('inv.yaml', 'elements:\n  - { id: box, name: box, host: localhost, transport: local }\n');
    expect((await ws.run(['inventory', 'import', ws.path('inv.yaml')])).code).toBe(0);
    ws.file(
      'quiet.yaml',
      `id: quiet
name: quiet
targets: { elements: [box] }
steps:
  - id: nap
    run: sleep 30.417
`,
    );
    ws.file(
      'late.yaml',
      `id: late
name: late
targets: { elements: [box] }
steps:
  - id: later
    script: |
      sleep 8.419
      touch ${marker}
`,
    );
    for (const f of ['quiet.yaml', 'late.yaml']) expect((await ws.run(['flow', 'import', ws.path(f)])).code).toBe(0);
  }, 60_000);
  afterAll(() => {
    for (const pid of [...processesStartingWith('sleep 30.417'), ...processesStartingWith('sleep 8.419')]) process.kill(pid, 'SIGKILL');
    ws.dispose();
  });

  /**
   * Starts `flowdeck run FLOW`, waits for its command, kill -9s the CLI; returns when the CLI is
   * gone, with the process group of the command (the shell that runs it and its children).
   */
  async function killOwnerDuring(flow: string, pattern: string): Promise<{ killedAt: number; pgid: number }> {
    const child = ws.spawn(['run', flow]);
    const done = collect(child);
    const [pid] = await waitFor(`the local "${pattern}"`, () => {
      const found = processesStartingWith(pattern);
      return found.length === 1 ? found : undefined;
    }, 20_000, 50);
    const pgid = groupOf(pid as number);
    child.kill('SIGKILL');
    const end = await done;
    expect(end.code).toBeNull();
    return { killedAt: Date.now(), pgid };
  }

  it('a quiet `sleep 30` is gone within 5 s of its owner, with its shell', async () => {
    const { killedAt, pgid } = await killOwnerDuring('quiet', 'sleep 30.417');
    await waitFor('the command group to be stopped', () => groupMembers(pgid).length === 0, 5_000, 50);
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    // The next start records what happened.
    const list = await ws.json<Array<{ id: number; flow: string; status: string }>>(['executions', 'list', '--json']);
    const rep = await ws.json<ExecutionReport>(['executions', 'show', String(list[0]?.id), '--json']);
    expect(rep.status).toBe('interrupted');
    expect(rep.runs.map((r) => r.status)).toEqual(['interrupted']);
  });

  it('a script that would write a marker after 8 s is stopped before it can', async () => {
    const { pgid } = await killOwnerDuring('late', 'sleep 8.419');
    // The interpreter that would run `touch` after the sleep is in the group too: once the group is empty, nothing can.
    await waitFor('the script group to be stopped', () => groupMembers(pgid).length === 0, 5_000, 50);
    expect(existsSync(marker)).toBe(false);
  });
});
