// Transport faults on real and fake SSH hosts: each failure names
// the host (element id and address:port) and its cause, the failure policy still holds for
// the other elements, and the execution ends with nothing left pending.
import { rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import { resolveElements } from '../../src-main/inventory';
import { loadInventory } from '../../src-main/store/inventory-queries';
import { sshTransport } from '../../src-main/transport/ssh';
import type { Transport } from '../../src-main/transport/types';
import { collect, waitFor, Workspace } from '../support/cli';
import { EngineHarness } from '../support/engine';
import { startFakeSshServer, type FakeSshServer } from '../support/fake-ssh-server';
import { remoteProcessesMatching, startFleet, type Fleet } from '../support/sshd';
import { describeRuns, expectNothingLost, literal, loadFlow, pairFlow as sharedPairFlow, runFlow, runOf, unusedLoopbackPort } from './run-checks';

/** Two steps on the given elements, side by side, each failure dropping only its element. */
const pairFlow = (id: string, elements: string[], first = 'echo first-{{ element.id }}'): string => sharedPairFlow(id, elements, { id: 'first', run: first });

describe('SSH faults: the failure names the host and the cause, and nothing is lost', () => {
  const ws = new Workspace();
  let fleet: Fleet;
  let port: number;
  let refusedPort: number;
  let fake: FakeSshServer;
  /** `e1 (127.0.0.2:PORT)`, as every transport message starts. */
  const label = (id: string, host: string, p: number): string => `${id} (${host}:${p})`;

  beforeAll(async () => {
    [fleet, refusedPort, fake] = await Promise.all([
      startFleet({ hosts: 2 }),
      unusedLoopbackPort(),
      startFakeSshServer({
        // Output, then CHANNEL_CLOSE with no exit-status or exit-signal request before it.
        onExec: (channel) => {
          channel.write('partial output\n');
          channel.close();
        },
      }),
    ]);
    port = fleet.hosts[0]?.port as number;
    ws.env = { FLOWDECK_KNOWN_HOSTS: fleet.knownHostsPath, SSH_AUTH_SOCK: '' };
    ws.file(
      'inventory.yaml',
      `
profiles:
  - { id: box, user: ${fleet.user}, credential: fleet-key, port: ${port} }
elements:
  - { id: e1, name: E1, host: 127.0.0.2, profile: box }
  - { id: e2, name: E2, host: 127.0.0.3, profile: box }
  - { id: nobody, name: nobody listens, host: 127.0.0.1, port: ${refusedPort}, profile: box }
  - { id: fake, name: fake sshd, host: 127.0.0.1, port: ${fake.port}, profile: box }
`,
    );
    const cred = await ws.run(['credential', 'add', 'fleet-key', '--key', fleet.keys.ed25519]);
    expect(cred.code, cred.stderr).toBe(0);
    const inv = await ws.run(['inventory', 'import', ws.path('inventory.yaml')]);
    expect(inv.code, inv.stderr).toBe(0);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([fleet?.stop(), fake?.stop()]);
    ws.dispose();
  });

  it('connection refused: the element fails naming host:port and "connection refused", the other element goes on', async () => {
    await loadFlow(ws, 'refused', pairFlow('refused', ['nobody', 'e2']));
    const { code, rep } = await runFlow(ws, 'refused');
    expect(code).toBe(1);
    expect(rep.status).toBe('failed');
    expectNothingLost(rep);
    const failed = runOf(rep, 'first', 'nobody');
    expect(failed.status, describeRuns(rep)).toBe('failed');
    expect(failed.error).toContain(label('nobody', '127.0.0.1', refusedPort));
    expect(failed.error).toMatch(/connection refused/);
    expect(runOf(rep, 'after', 'nobody').status).toBe('skipped');
    expect(runOf(rep, 'first', 'e2').status).toBe('succeeded');
    expect(runOf(rep, 'after', 'e2').status).toBe('succeeded');
  });

  it('a listener that never sends an SSH banner fails with "no SSH handshake" within the connect timeout', async () => {
    // Accepts TCP and then says nothing, like a firewall's tarpit or a service that is not sshd.
    const held = new Set<Socket>();
    const mute: Server = createServer((s) => {
      held.add(s);
      s.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
    const mutePort = (mute.address() as { port: number }).port;
    // The CLI's runtime always uses the 10 s default, so this test builds the SSH transport
    // in-process with a short connect timeout, the way openRuntime builds it.
    const h = new EngineHarness();
    const ssh: Transport = {
      kind: 'ssh',
      connect: (element, opts) =>
        sshTransport({
          db: h.rt.db,
          credential: () => undefined,
          element: (id) => resolveElements(loadInventory(h.rt.db)).find((e) => e.id === id),
          knownHostsFile: fleet.knownHostsPath,
          agentSocket: '',
          connectTimeoutMs: 1500,
        }).connect(element, opts),
    };
    // ssh2 may emit a second 'error' once the first one failed the handshake; nobody may be left
    // without a listener for it (in the CLI or the app an unhandled one kills the process).
    const uncaught: unknown[] = [];
    const monitor = (err: unknown): void => void uncaught.push(err);
    process.on('uncaughtExceptionMonitor', monitor);
    try {
      await h.open({ ssh });
      h.inventory(`
elements:
  - { id: mute, name: mute, host: 127.0.0.1, port: ${mutePort}, user: ${fleet.user}, identityFile: ${fleet.keys.ed25519} }
  - { id: e2, name: E2, host: 127.0.0.3, port: ${port}, user: ${fleet.user}, identityFile: ${fleet.keys.ed25519} }
`).flows(pairFlow('mute-flow', ['mute', 'e2']));
      const started = Date.now();
      const rep = await h.run('mute-flow');
      const took = Date.now() - started;
      expect(rep.status).toBe('failed');
      expectNothingLost(rep);
      const failed = runOf(rep, 'first', 'mute');
      expect(failed.status, describeRuns(rep)).toBe('failed');
      expect(failed.error).toContain(label('mute', '127.0.0.1', mutePort));
      expect(failed.error).toMatch(/no SSH handshake within 1\.5 s/);
      expect(held.size, 'the TCP connection was made').toBe(1);
      expect(runOf(rep, 'after', 'mute').status).toBe('skipped');
      expect(runOf(rep, 'first', 'e2').status).toBe('succeeded');
      expect(runOf(rep, 'after', 'e2').status).toBe('succeeded');
      // The timeout, not the test's own limit, ended the wait.
      expect(took).toBeLessThan(6000);
      // The dropped socket's close comes a moment after the timeout.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(uncaught.map(String), 'uncaught exceptions while the handshake timed out').toEqual([]);
    } finally {
      process.off('uncaughtExceptionMonitor', monitor);
      h.close();
      for (const s of held) s.destroy();
      await new Promise((resolve) => mute.close(resolve));
    }
  });

  it('a listener that resets the connection before the SSH banner fails that element only; the CLI survives', async () => {
    // Accept, read the client's identification line, then RST instead of answering: what a dropped
    // connection (sshd's MaxStartups, a tcp-reset firewall rule) looks like. Waiting for the
    // client's first bytes makes sure the reset comes after the TCP connect, inside the SSH handshake.
    const resetting = createServer((s) => {
      s.on('error', () => undefined);
      s.once('data', () => s.resetAndDestroy());
    });
    await new Promise<void>((resolve) => resetting.listen(0, '127.0.0.1', resolve));
    const resetPort = (resetting.address() as { port: number }).port;
    try {
      ws.file('reset.yaml', `elements:\n  - { id: reset, name: reset, host: 127.0.0.1, port: ${resetPort}, user: ${fleet.user}, credential: fleet-key }\n`);
      const inv = await ws.run(['inventory', 'import', ws.path('reset.yaml')]);
      expect(inv.code, inv.stderr).toBe(0);
      await loadFlow(ws, 'reset', pairFlow('reset', ['reset', 'e2']));
      const { code, rep, stderr } = await runFlow(ws, 'reset');
      expect(stderr).not.toMatch(/Unhandled 'error' event/);
      expect(code).toBe(1);
      expect(rep.status).toBe('failed');
      expectNothingLost(rep);
      const failed = runOf(rep, 'first', 'reset');
      expect(failed.status, describeRuns(rep)).toBe('failed');
      expect(failed.error).toContain(label('reset', '127.0.0.1', resetPort));
      expect(failed.error).toMatch(/ECONNRESET|reset/);
      expect(runOf(rep, 'after', 'reset').status).toBe('skipped');
      expect(runOf(rep, 'first', 'e2').status).toBe('succeeded');
      expect(runOf(rep, 'after', 'e2').status).toBe('succeeded');
    } finally {
      await new Promise((resolve) => resetting.close(resolve));
    }
  });

  it('a host that closes the channel without an exit status fails the step with that message', async () => {
    const trust = await ws.run(['known-hosts', 'add', `127.0.0.1:${fake.port}`, '--key', fake.hostKeyLine]);
    expect(trust.code, trust.stderr).toBe(0);
    await loadFlow(ws, 'no-exit', pairFlow('no-exit', ['fake', 'e2']));
    const { code, rep } = await runFlow(ws, 'no-exit');
    expect(code).toBe(1);
    expect(rep.status).toBe('failed');
    expectNothingLost(rep);
    const failed = runOf(rep, 'first', 'fake');
    expect(failed.status, describeRuns(rep)).toBe('failed');
    expect(failed.exitCode).toBeNull();
    expect(failed.error).toContain(label('fake', '127.0.0.1', fake.port));
    expect(failed.error).toMatch(/closed the channel without an exit status/);
    // The element id arrives shell-quoted, as every template value does.
    expect(fake.execs.some((c) => c.includes("echo first-'fake'"))).toBe(true);
    expect(runOf(rep, 'after', 'fake').status).toBe('skipped');
    expect(runOf(rep, 'after', 'e2').status).toBe('succeeded');
    // What the host did send before closing is kept.
    const logs = await ws.run(['logs', String(rep.id), '--element', 'fake', '--step', 'first', '--raw']);
    expect(logs.stdout).toContain('partial output');
  });

  it('sshd killed in the middle of a step: "connection lost" naming the host, the other element succeeds', async () => {
    // e1 sleeps long enough to be killed; e2's step is short. Unique patterns: 5.31 and 0.31.
    await loadFlow(
      ws,
      'killed',
      pairFlow('killed', ['e1', 'e2'], "case {{ shq(element.id) }} in e1) sleep 5.31;; *) sleep 0.31;; esac; echo done"),
    );
    const before = fleet.acceptedConnections('127.0.0.3');
    const child = ws.spawn(['run', 'killed', '--json']);
    const done = collect(child);
    await waitFor('the remote sleep on e1', () => remoteProcessesMatching('sleep 5.31').length === 1, 15_000, 50);
    fleet.killSessionProcesses('127.0.0.2');
    const r = await done;
    const rep = JSON.parse(r.stdout) as ExecutionReport;
    expect(r.code).toBe(1);
    expect(rep.status).toBe('failed');
    expectNothingLost(rep);
    const failed = runOf(rep, 'first', 'e1');
    expect(failed.status, describeRuns(rep)).toBe('failed');
    expect(failed.error).toMatch(new RegExp(`^${literal(label('e1', '127.0.0.2', port))}: connection lost`));
    expect(runOf(rep, 'after', 'e1').status).toBe('skipped');
    expect(runOf(rep, 'first', 'e2').status).toBe('succeeded');
    expect(runOf(rep, 'after', 'e2').status).toBe('succeeded');
    // e2 kept its one connection for both steps: the fault on e1 did not disturb it.
    expect(fleet.acceptedConnections('127.0.0.3') - before).toBe(1);
    expect(remoteProcessesMatching('sleep 5.31')).toEqual([]);
  });

  it('a retry after the connection was lost reconnects (the pool replaces the dead connection) and succeeds', async () => {
    // The first attempt leaves a marker and sleeps (and is killed); the second finds the marker and ends at once.
    const marker = `/tmp/flowdeck-retry-${process.pid}-${Date.now()}`;
    try {
      await loadFlow(
        ws,
        'killed-retry',
        `
id: killed-retry
name: killed-retry
targets: { elements: [e1] }
steps:
  - id: nap
    run: 'if [ -e ${marker} ]; then echo second-attempt; else touch ${marker}; sleep 5.32; fi'
    retries: { count: 1, delay: 0.5 }
`,
      );
      const before = fleet.acceptedConnections('127.0.0.2');
      const child = ws.spawn(['run', 'killed-retry', '--json']);
      const done = collect(child);
      await waitFor('the remote sleep on e1', () => remoteProcessesMatching('sleep 5.32').length === 1, 15_000, 50);
      fleet.killSessionProcesses('127.0.0.2');
      const r = await done;
      const rep = JSON.parse(r.stdout) as ExecutionReport;
      expect(rep.status, describeRuns(rep)).toBe('succeeded');
      expect(r.code).toBe(0);
      expectNothingLost(rep);
      const attempts = rep.runs.filter((x) => x.step === 'nap');
      expect(attempts.map((x) => `${x.attempt}:${x.status}`)).toEqual(['1:failed', '2:succeeded']);
      expect(attempts[0]?.error).toMatch(new RegExp(`^${literal(label('e1', '127.0.0.2', port))}: connection lost`));
      // A second login: the dead connection was replaced, not reused.
      expect(fleet.acceptedConnections('127.0.0.2') - before).toBe(2);
      const logs = await ws.run(['logs', String(rep.id), '--raw']);
      expect(logs.stdout).toContain('second-attempt');
    } finally {
      rmSync(marker, { force: true });
    }
  });
});
