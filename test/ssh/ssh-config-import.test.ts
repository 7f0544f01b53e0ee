// `inventory import` of an OpenSSH client config, then a flow over SSH on what it
// made: Host blocks with HostName/Port/User/IdentityFile, a `Host *` default block, and a
// ProxyJump from one host through the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../support/cli';
import { startFleet, type Fleet } from '../support/sshd';
import { describeRuns, expectNothingLost, loadFlow, runFlow, runOf } from './run-checks';

interface ListedElement {
  id: string;
  host: string;
  port?: number;
  user?: string;
  identityFile?: string;
  jump?: string;
  transport: string;
}

describe('inventory import of an OpenSSH client config, then a flow over SSH on it', () => {
  const ws = new Workspace();
  let fleet: Fleet;
  let port: number;
  let config: string;

  beforeAll(async () => {
    fleet = await startFleet({ hosts: 2 });
    port = fleet.hosts[0]?.port as number;
    ws.env = { FLOWDECK_KNOWN_HOSTS: fleet.knownHostsPath, SSH_AUTH_SOCK: '' };
    // ssh(1) takes the first value it meets for each option, so `Host *` defaults come last;
    // web2 gets its port, user and key from there, and reaches 127.0.0.3 through web1.
    config = ws.file(
      'config',
      `# an operator's ~/.ssh/config
Host web1
    HostName 127.0.0.2
    Port ${port}
    User ${fleet.user}
    IdentityFile ${fleet.keys.ed25519}

Host web2
    HostName 127.0.0.3
    ProxyJump web1

Host *
    Port ${port}
    User ${fleet.user}
    IdentityFile ${fleet.keys.ed25519}
    ServerAliveInterval 30
`,
    );
  }, 60_000);

  afterAll(async () => {
    await fleet?.stop();
    ws.dispose();
  });

  it('imports both hosts with their settings and the Host * defaults; a second import changes nothing', async () => {
    const first = await ws.run(['inventory', 'import', config]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/2 added/);
    const listed = await ws.run(['inventory', 'list', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const byId = new Map((JSON.parse(listed.stdout) as ListedElement[]).map((e) => [e.id, e]));
    expect(byId.get('web1')).toMatchObject({ host: '127.0.0.2', port, user: fleet.user, identityFile: fleet.keys.ed25519, transport: 'ssh' });
    expect(byId.get('web1')?.jump).toBeUndefined();
    expect(byId.get('web2')).toMatchObject({ host: '127.0.0.3', port, user: fleet.user, identityFile: fleet.keys.ed25519, jump: 'web1' });
    const again = await ws.run(['inventory', 'import', config]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/0 added/);
  });

  it('a flow runs on both imported hosts, web2 through the jump host web1', async () => {
    await loadFlow(
      ws,
      'via-config',
      `
id: via-config
name: via-config
mode: parallel
onFailure: continue
targets: { elements: [web1, web2] }
steps:
  - { id: where, run: 'echo "$SSH_CONNECTION"' }
`,
    );
    const before = { jump: fleet.acceptedConnections('127.0.0.2'), target: fleet.acceptedConnections('127.0.0.3') };
    const { code, rep } = await runFlow(ws, 'via-config');
    expect(rep.status, describeRuns(rep)).toBe('succeeded');
    expect(code).toBe(0);
    expectNothingLost(rep);
    expect(runOf(rep, 'where', 'web1').status).toBe('succeeded');
    expect(runOf(rep, 'where', 'web2').status).toBe('succeeded');
    // SSH_CONNECTION is "client-ip client-port server-ip server-port": each command ran on its own host.
    const web1 = await ws.run(['logs', String(rep.id), '--element', 'web1', '--raw']);
    const web2 = await ws.run(['logs', String(rep.id), '--element', 'web2', '--raw']);
    expect(web1.stdout).toMatch(new RegExp(` 127\\.0\\.0\\.2 ${port}\\n$`));
    expect(web2.stdout).toMatch(new RegExp(` 127\\.0\\.0\\.3 ${port}\\n$`));
    // web1 served two logins (its own connection and web2's tunnel), web2 one.
    expect(fleet.acceptedConnections('127.0.0.2') - before.jump).toBe(2);
    expect(fleet.acceptedConnections('127.0.0.3') - before.target).toBe(1);
  });
});
