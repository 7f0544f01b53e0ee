// A remote command must not outlive the SSH connection of the process that started it: without
// a pty sshd signals nothing to the command when the connection drops, so Flowdeck's command
// wrapper watches the channel and stops the command's process group itself. Commands that end
// normally keep plain ssh's behaviour: what they leave running on purpose stays. And the remote
// side gets none of Flowdeck's own environment.
import { existsSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { collect, waitFor, Workspace } from '../support/cli';
import { groupMembers, groupOf, processesStartingWith } from '../support/process-groups';
import { remoteProcessesMatching, startFleet, type Fleet } from '../support/sshd';
import { describeRuns, loadFlow, runFlow } from './run-checks';

/** Fed to `cat` as a script step's body: quotes, a `$`, a backslash, blank lines, a token look-alike, no final newline. */
const SCRIPT = "it's $HOME \\ FLOWDECK_END_0\n\n\nlast";

describe('SSH: the owner dies, its remote commands stop', () => {
  const ws = new Workspace();
  let fleet: Fleet;
  const marker = `/tmp/flowdeck-owner-death-${process.pid}-${Date.now()}`;
  const leftovers: number[] = [];

  beforeAll(async () => {
    fleet = await startFleet({ hosts: 1 });
    const host = fleet.hosts[0];
    ws.env = { FLOWDECK_KNOWN_HOSTS: fleet.knownHostsPath, SSH_AUTH_SOCK: '', FLOWDECK_SECRET_KEY: randomBytes(32).toString('base64') };
    ws.file(
      'inventory.yaml',
      `elements:\n  - { id: e1, name: E1, host: ${host?.address}, port: ${host?.port}, user: ${fleet.user}, credential: fleet-key }\n`,
    );
    const cred = await ws.run(['credential', 'add', 'fleet-key', '--key', fleet.keys.ed25519]);
    expect(cred.code, cred.stderr).toBe(0);
    expect((await ws.run(['inventory', 'import', ws.path('inventory.yaml')])).code).toBe(0);
    const flow = (id: string, step: string): string => `id: ${id}\nname: ${id}\ntargets: { elements: [e1] }\nsteps:\n${step}`;
    await loadFlow(ws, 'remote-quiet', flow('remote-quiet', '  - id: nap\n    run: sleep 31.71\n'));
    await loadFlow(ws, 'remote-late', flow('remote-late', `  - id: later\n    script: |\n      sleep 31.72\n      touch ${marker}\n`));
    await loadFlow(
      ws,
      'remote-daemon',
      flow('remote-daemon', '  - id: start\n    run: nohup sleep 31.73 >/dev/null 2>&1 &\n  - id: after\n    run: echo started\n'),
    );
    await loadFlow(
      ws,
      'remote-env',
      flow(
        'remote-env',
        `  - id: env\n    run: env\n    env: { GIVEN: 'yes' }\n  - id: stdin\n    interpreter: cat\n    script: ${JSON.stringify(SCRIPT)}\n`,
      ),
    );
  }, 60_000);

  afterAll(async () => {
    for (const pid of leftovers) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(marker, { force: true });
    await fleet?.stop();
    ws.dispose();
  });

  /** Starts `flowdeck run FLOW`, waits for the remote `pattern`, kill -9s the CLI; returns the remote command's process group. */
  async function killOwnerDuring(flow: string, pattern: string): Promise<{ killedAt: number; pgid: number }> {
    const child = ws.spawn(['run', flow]);
    const done = collect(child);
    const [pid] = await waitFor(`the remote "${pattern}"`, () => {
      const found = remoteProcessesMatching(pattern);
      return found.length === 1 ? found : undefined;
    }, 20_000, 50);
    const pgid = groupOf(pid as number);
    child.kill('SIGKILL');
    expect((await done).code).toBeNull();
    return { killedAt: Date.now(), pgid };
  }

  it('kill -9 of `flowdeck run` during a remote `sleep`: the sleep is gone within 5 s', async () => {
    const { killedAt, pgid } = await killOwnerDuring('remote-quiet', 'sleep 31.71');
    await waitFor('the remote command group to be stopped', () => groupMembers(pgid).length === 0, 5_000, 50);
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    expect(remoteProcessesMatching('sleep 31.71')).toEqual([]);
  });

  it('the same for a script step (fed on stdin): its interpreter goes too, so the marker it would write never appears', async () => {
    const { pgid } = await killOwnerDuring('remote-late', 'sleep 31.72');
    await waitFor('the remote script group to be stopped', () => groupMembers(pgid).length === 0, 5_000, 50);
    expect(existsSync(marker)).toBe(false);
  });

  it('a command that ends normally keeps what it started on purpose (nohup ... &), after the run and its connection are gone', async () => {
    const { code, rep } = await runFlow(ws, 'remote-daemon');
    expect(code, describeRuns(rep)).toBe(0);
    const [daemon] = processesStartingWith('sleep 31.73');
    expect(daemon).toBeDefined();
    leftovers.push(daemon as number);
    // The CLI has exited and its connection is closed: every lifeline has ended, none took the daemon with it.
    await waitFor('the lifelines to end', () => remoteProcessesMatching('flowdeck-lifeline').length === 0, 10_000, 50);
    expect(remoteProcessesMatching('sleep 31.73')).toEqual([daemon]);
  });

  it("the remote command sees none of Flowdeck's variables, and a script step still reads exactly its script on stdin", async () => {
    const { code, rep } = await runFlow(ws, 'remote-env');
    expect(code, describeRuns(rep)).toBe(0);
    const env = await ws.run(['logs', String(rep.id), '--step', 'env', '--raw']);
    const names = env.stdout.split('\n').map((l) => l.split('=')[0]);
    expect(names).toContain('GIVEN');
    expect(names).toContain('SSH_CONNECTION');
    expect(names.filter((n) => n?.startsWith('FLOWDECK_') || n?.startsWith('__flowdeck'))).toEqual([]);
    const stdin = await ws.run(['logs', String(rep.id), '--step', 'stdin', '--raw']);
    // `logs` ends a log that lacks a final newline with one.
    expect(stdin.stdout).toBe(SCRIPT + '\n');
  });
});
