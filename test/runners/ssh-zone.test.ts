// A runner in front of SSH hosts (the loopback sshd fleet): it logs in with a credential only its
// own database holds and trusts host keys from its own known_hosts; the owner has neither. One
// SSH connection per element per execution survives the move to the runner.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import { collect, waitFor, Workspace } from '../support/cli';
import { startRedis, type TestRedis } from '../support/redis';
import { saveOwnerInventory, startRunnerProcess, type RunnerProcess } from '../support/runners';
import { remoteProcessesMatching, startFleet, type Fleet } from '../support/sshd';

describe('a runner on an SSH zone', () => {
  const owner = new Workspace('flowdeck-owner-');
  let fleet: Fleet;
  let redis: TestRedis;
  let runner: RunnerProcess;

  const load = async (name: string, text: string): Promise<void> => {
    const r = await owner.run(['flow', 'import', owner.file(`${name}.yaml`, text)]);
    expect(r.code, r.stderr).toBe(0);
  };
  const run = async (flow: string): Promise<ExecutionReport> => {
    const r = await owner.run(['run', flow, '--json']);
    const rep = JSON.parse(r.stdout) as ExecutionReport;
    expect(rep.status, `${r.stderr}\n${JSON.stringify(rep.runs.filter((x) => x.error), null, 1)}`).toBe('succeeded');
    return rep;
  };

  beforeAll(async () => {
    [fleet, redis] = await Promise.all([startFleet({ hosts: 3 }), startRedis()]);
    runner = await startRunnerProcess({
      zone: 'dc',
      name: 'rdc',
      redisUrl: redis.url,
      env: { FLOWDECK_KNOWN_HOSTS: fleet.knownHostsPath, SSH_AUTH_SOCK: '' },
      async prepare(ws) {
        const r = await ws.run(['credential', 'add', 'fleet-key', '--key', fleet.keys.ed25519]);
        expect(r.code, r.stderr).toBe(0);
      },
    });
    // The owner trusts no host key and holds no credential: only the runner can reach these hosts.
    owner.env = { FLOWDECK_REDIS_URL: redis.url, FLOWDECK_KNOWN_HOSTS: owner.path('none'), SSH_AUTH_SOCK: '' };
    const [h1, h2, h3] = fleet.hosts;
    const base = { user: fleet.user, port: h1?.port, credential: 'fleet-key', zone: 'dc' };
    saveOwnerInventory(owner, [
      { id: 'e1', name: 'E1', host: h1?.address as string, ...base },
      { id: 'e2', name: 'E2', host: h2?.address as string, ...base },
      { id: 'e3', name: 'E3', host: h3?.address as string, ...base, jump: 'e1' },
    ]);
  }, 60_000);

  afterAll(async () => {
    await runner?.stop();
    await Promise.all([fleet?.stop(), redis?.stop()]);
    runner?.ws.dispose();
    owner.dispose();
  });

  it('runs a 3-step parallel flow there over one SSH connection per element, as the remote user', async () => {
    await load(
      'three',
      `id: three\nname: three\nmode: parallel\ntargets: { elements: [e1, e2] }\nsteps:\n  - { id: who, run: 'id -un; echo "via $FLOWDECK_RUNNER"' }\n  - { id: two, run: 'true' }\n  - { id: three, script: "echo body-of-the-script\\n" }\n`,
    );
    const before = [fleet.acceptedConnections('127.0.0.2'), fleet.acceptedConnections('127.0.0.3')];
    const rep = await run('three');
    expect(rep.runs.every((x) => x.runner === 'rdc')).toBe(true);
    expect(fleet.acceptedConnections('127.0.0.2') - (before[0] as number)).toBe(1);
    expect(fleet.acceptedConnections('127.0.0.3') - (before[1] as number)).toBe(1);
    expect((await owner.run(['logs', String(rep.id), '--element', 'e2', '--step', 'who', '--raw'])).stdout).toBe(`${fleet.user}\nvia rdc\n`);
    expect((await owner.run(['logs', String(rep.id), '--element', 'e1', '--step', 'three', '--raw'])).stdout).toBe('body-of-the-script\n');
    // A second execution opens its own connections: one each again.
    await run('three');
    expect(fleet.acceptedConnections('127.0.0.2') - (before[0] as number)).toBe(2);
    expect(fleet.acceptedConnections('127.0.0.3') - (before[1] as number)).toBe(2);
  });

  it('reaches a host through a jump host named by element id, resolved by the owner', async () => {
    await load('jumped', `id: jumped\nname: jumped\ntargets: { elements: [e3] }\nsteps:\n  - { id: where, run: 'echo $SSH_CONNECTION' }\n`);
    const before = [fleet.acceptedConnections('127.0.0.2'), fleet.acceptedConnections('127.0.0.4')];
    const rep = await run('jumped');
    expect((await owner.run(['logs', String(rep.id), '--raw'])).stdout).toMatch(/ 127\.0\.0\.4 \d+\n$/);
    expect(fleet.acceptedConnections('127.0.0.2') - (before[0] as number)).toBe(1);
    expect(fleet.acceptedConnections('127.0.0.4') - (before[1] as number)).toBe(1);
  });

  it('a step timeout kills the remote command through the runner', async () => {
    await load('late', `id: late\nname: late\ntargets: { elements: [e2] }\nsteps:\n  - { id: slow, run: 'sleep 4545; echo never', timeout: 1 }\n`);
    const child = owner.spawn(['run', 'late', '--json']);
    const r = await collect(child);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as ExecutionReport).runs[0]).toMatchObject({ status: 'timed-out', runner: 'rdc' });
    await waitFor('the remote sleep gone', () => remoteProcessesMatching('sleep 4545').length === 0, 10_000);
  });

  it('an element whose credential the runner lacks fails with the reason from the runner', async () => {
    saveOwnerInventory(owner, [{ id: 'e4', name: 'E4', host: fleet.hosts[1]?.address as string, user: fleet.user, port: fleet.hosts[1]?.port, credential: 'not-on-the-runner', zone: 'dc' }]);
    await load('nocred', `id: nocred\nname: nocred\ntargets: { elements: [e4] }\nsteps:\n  - { id: a, run: 'true' }\n`);
    const r = await owner.run(['run', 'nocred', '--json']);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as ExecutionReport).runs[0]?.error).toMatch(/unknown credential "not-on-the-runner" \(on runner rdc\)/);
  });
});
