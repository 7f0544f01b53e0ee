import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import { Workspace } from '../support/cli';
import { assertWaves } from '../support/report';
import { modeFlowFiles, parallelParallelOrder, parallelSerialOrder, serialOrder } from '../support/mode-flows';
import { remoteProcessesMatching, startFleet, type Fleet } from '../support/sshd';
import { collect, waitFor } from '../support/cli';

describe('flows on real SSH hosts (sshd fleet on loopback)', () => {
  const ws = new Workspace();
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await startFleet({ hosts: 3 });
    ws.env = { FLOWDECK_KNOWN_HOSTS: fleet.knownHostsPath, SSH_AUTH_SOCK: '' };
    const [h1, h2, h3] = fleet.hosts;
    ws.file(
      'inventory.yaml',
      `
profiles:
  - { id: box, user: ${fleet.user}, credential: fleet-key, port: ${h1?.port} }
elements:
  - { id: e1, name: E1, host: ${h1?.address}, profile: box, context: { rank: 2 } }
  - { id: e2, name: E2, host: ${h2?.address}, profile: box, context: { rank: 1 } }
  - { id: e3, name: E3, host: ${h3?.address}, profile: box, jump: e1 }
`,
    );
    const cred = await ws.run(['credential', 'add', 'fleet-key', '--key', fleet.keys.ed25519]);
    expect(cred.code, cred.stderr).toBe(0);
    expect((await ws.run(['inventory', 'import', ws.path('inventory.yaml')])).code).toBe(0);
    const imp = await ws.run(['flow', 'import', ...modeFlowFiles((n, t) => ws.file(n, t))]);
    expect(imp.code, imp.stderr).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await fleet?.stop();
    ws.dispose();
  });

  const run = async (flow: string, extra: string[] = []): Promise<ExecutionReport> => {
    const r = await ws.run(['run', flow, '--json', ...extra]);
    const rep = JSON.parse(r.stdout) as ExecutionReport;
    expect(rep.status, `${r.stderr}\n${JSON.stringify(rep.runs.filter((x) => x.error), null, 1)}`).toBe('succeeded');
    return rep;
  };
  const load = async (name: string, text: string): Promise<void> => {
    const r = await ws.run(['flow', 'import', ws.file(`${name}.yaml`, text)]);
    expect(r.code, r.stderr).toBe(0);
  };

  it('serial/serial, serial/parallel, parallel/serial and parallel/parallel run in the order of docs/semantics.md', async () => {
    assertWaves(await run('p-ss'), serialOrder('e1', 'e2'));
    assertWaves(await run('p-sp'), serialOrder('e1', 'e2'));
    assertWaves(await run('p-ps'), parallelSerialOrder);
    assertWaves(await run('p-pp'), parallelParallelOrder);
  });

  it('one TCP connection per host per execution, child flows included', async () => {
    const before = [fleet.acceptedConnections('127.0.0.2'), fleet.acceptedConnections('127.0.0.3')];
    await run('p-ps');
    expect(fleet.acceptedConnections('127.0.0.2') - (before[0] as number)).toBe(1);
    expect(fleet.acceptedConnections('127.0.0.3') - (before[1] as number)).toBe(1);
  });

  it('runs as the remote user, with env, scripts on stdin, and exit codes recorded', async () => {
    await load(
      'facts',
      `
id: facts
name: facts
targets: { elements: [e1] }
steps:
  - { id: who, run: 'id -un; echo "$GREETING"', env: { GREETING: "hello {{ element.id }}" } }
  - { id: script, interpreter: /bin/sh -s, script: "read line || true\\necho got-stdin-closed\\nexit 0\\n" }
  - { id: code, run: 'exit 7', continueOnError: true }
`,
    );
    const rep = await run('facts');
    expect(rep.runs.map((r) => `${r.step}:${r.status}:${r.exitCode}`)).toEqual(['who:succeeded:0', 'script:succeeded:0', 'code:failed:7']);
    const logs = await ws.run(['logs', String(rep.id), '--step', 'who', '--raw']);
    expect(logs.stdout).toBe(`${fleet.user}\nhello e1\n`);
  });

  it('reaches a host through a jump host (ProxyJump to another element)', async () => {
    await load('via-jump', `id: via-jump\nname: via jump\ntargets: { elements: [e3] }\nsteps:\n  - { id: where, run: 'hostname -I 2>/dev/null; echo $SSH_CONNECTION' }\n`);
    const before = [fleet.acceptedConnections('127.0.0.2'), fleet.acceptedConnections('127.0.0.4')];
    const rep = await run('via-jump');
    const logs = await ws.run(['logs', String(rep.id), '--raw']);
    // sshd on 127.0.0.4 saw the connection arrive at its own address, opened by the jump host.
    expect(logs.stdout).toMatch(/ 127\.0\.0\.4 \d+\n$/);
    expect(fleet.acceptedConnections('127.0.0.2') - (before[0] as number)).toBe(1);
    expect(fleet.acceptedConnections('127.0.0.4') - (before[1] as number)).toBe(1);
  });

  it('a step timeout kills the remote command: the remote sleep is gone', async () => {
    await load('remote-timeout', `id: remote-timeout\nname: t\ntargets: { elements: [e2] }\nsteps:\n  - { id: slow, run: 'sleep 4242; echo never', timeout: 1 }\n`);
    const r = await ws.run(['run', 'remote-timeout', '--json']);
    expect(r.code).toBe(1);
    const rep = JSON.parse(r.stdout) as ExecutionReport;
    expect(rep.runs[0]).toMatchObject({ status: 'timed-out' });
    await waitFor('remote sleep gone', () => remoteProcessesMatching('sleep 4242').length === 0, 5000);
  });

  it('cancel (Ctrl-C on the CLI) kills the remote command and marks the run cancelled', async () => {
    await load('remote-cancel', `id: remote-cancel\nname: c\ntargets: { elements: [e1, e2] }\nmode: parallel\nsteps:\n  - { id: slow, run: 'sleep 4343' }\n`);
    const child = ws.spawn(['run', 'remote-cancel', '--json']);
    const done = collect(child);
    await waitFor('remote sleeps started', () => remoteProcessesMatching('sleep 4343').length >= 2, 15_000);
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(1);
    const rep = JSON.parse(r.stdout) as ExecutionReport;
    expect(rep.status).toBe('cancelled');
    expect(rep.runs.map((x) => x.status)).toEqual(['cancelled', 'cancelled']);
    await waitFor('remote sleeps gone', () => remoteProcessesMatching('sleep 4343').length === 0, 5000);
  });

  it('a command that echoes a stored secret shows it redacted', async () => {
    const pw = 'correct-horse-battery-staple';
    const cred = await ws.run(['credential', 'add', 'echoed', '--password-env', 'THE_PW'], { THE_PW: pw });
    expect(cred.code, cred.stderr).toBe(0);
    await load('leak', `id: leak\nname: leak\ntargets: { elements: [e1] }\nsteps:\n  - { id: say, run: 'echo "pw=${pw}"; echo "${pw}" >&2' }\n`);
    const rep = await run('leak');
    const logs = await ws.run(['logs', String(rep.id), '--raw']);
    expect(logs.stdout).not.toContain(pw);
    expect(logs.stdout).toContain('pw=***');
    const listed = await ws.run(['credential', 'list', '--json']);
    expect(listed.stdout).not.toContain(pw);
  });
});
