// Authentication against a real sshd: what must fail says which host,
// which user and which methods were tried; what must work (passphrase keys, PEM RSA keys,
// an element's own IdentityFile, passwords) logs in with exactly that key or password.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import { Workspace } from '../support/cli';
import { startFleet, type Fleet } from '../support/sshd';
import { describeRuns, expectNothingLost, literal, pairFlow as sharedPairFlow, runFlow, runOf } from './run-checks';

/** One step on `element` and on the always-good element `good`, side by side, failures dropping only their element. */
const pairFlow = (id: string, element: string): string => sharedPairFlow(id, [element, 'good'], { id: 'who', run: 'id -un' });

const { utils } = ssh2;

/** The SHA256 fingerprint sshd logs for a client key ("Accepted publickey ... SHA256:..."), from its .pub file. */
function publicKeyFingerprint(privateKeyPath: string): string {
  const [, base64 = ''] = readFileSync(`${privateKeyPath}.pub`, 'utf8').trim().split(/\s+/);
  return 'SHA256:' + createHash('sha256').update(Buffer.from(base64, 'base64')).digest('base64').replace(/=+$/, '');
}

function soloFlow(id: string, element: string): string {
  return `id: ${id}\nname: ${id}\ntargets: { elements: [${element}] }\nsteps:\n  - { id: who, run: 'id -un' }\n`;
}

describe('SSH authentication on a real sshd (keys, passphrases, PEM, IdentityFile, passwords)', () => {
  const ws = new Workspace();
  let fleet: Fleet;
  let port: number;

  beforeAll(async () => {
    fleet = await startFleet({ hosts: 2, password: true });
    port = fleet.hosts[0]?.port as number;
    ws.env = { FLOWDECK_KNOWN_HOSTS: fleet.knownHostsPath, SSH_AUTH_SOCK: '' };
    // A key nobody authorized: valid, but not in the fleet's authorized_keys.
    const stranger = utils.generateKeyPairSync('ed25519');
    ws.file('stranger_ed25519', stranger.private);
    const user = fleet.user;
    ws.file(
      'inventory.yaml',
      `
elements:
  - { id: good, name: good key, host: 127.0.0.3, port: ${port}, user: ${user}, credential: fleet-key }
  - { id: stranger, name: unauthorized key, host: 127.0.0.2, port: ${port}, user: ${user}, credential: stranger-key }
  - { id: bad-pw, name: wrong password, host: 127.0.0.2, port: ${port}, user: ${user}, credential: wrong-password }
  - { id: good-pw, name: right password, host: 127.0.0.2, port: ${port}, user: ${user}, credential: right-password }
  - { id: phrase, name: passphrase key, host: 127.0.0.2, port: ${port}, user: ${user}, credential: passphrase-key }
  - { id: pem, name: PEM RSA key, host: 127.0.0.2, port: ${port}, user: ${user}, credential: pem-key }
  - { id: idfile, name: IdentityFile, host: 127.0.0.2, port: ${port}, user: ${user}, identityFile: ${fleet.keys.ed25519} }
  - { id: idfile-locked, name: encrypted IdentityFile, host: 127.0.0.2, port: ${port}, user: ${user}, identityFile: ${fleet.keys.passphrase.path} }
`,
    );
    const adds: Array<[string[], NodeJS.ProcessEnv]> = [
      [['fleet-key', '--key', fleet.keys.ed25519], {}],
      [['stranger-key', '--key', ws.path('stranger_ed25519')], {}],
      [['wrong-password', '--password-env', 'PW'], { PW: `${fleet.password}-but-wrong` }],
      [['right-password', '--password-env', 'PW'], { PW: fleet.password }],
      [['passphrase-key', '--key', fleet.keys.passphrase.path, '--passphrase-env', 'KEY_PASS'], { KEY_PASS: fleet.keys.passphrase.passphrase }],
      [['pem-key', '--key', fleet.keys.pem], {}],
    ];
    const add = async ([args, env]: [string[], NodeJS.ProcessEnv]): Promise<void> => {
      const r = await ws.run(['credential', 'add', ...args], env);
      expect(r.code, `credential add ${args[0]}: ${r.stderr}`).toBe(0);
    };
    // The first `credential add` creates the secret key file beside the database; the others then share it.
    await add(adds[0] as [string[], NodeJS.ProcessEnv]);
    await Promise.all(adds.slice(1).map(add));
    const inv = await ws.run(['inventory', 'import', ws.path('inventory.yaml')]);
    expect(inv.code, inv.stderr).toBe(0);
    const flows = [
      ...['stranger', 'bad-pw', 'idfile-locked'].map((e) => ws.file(`auth-${e}.yaml`, pairFlow(`auth-${e}`, e))),
      ...['good-pw', 'phrase', 'pem', 'idfile'].map((e) => ws.file(`auth-${e}.yaml`, soloFlow(`auth-${e}`, e))),
    ];
    const imported = await ws.run(['flow', 'import', ...flows]);
    expect(imported.code, imported.stderr).toBe(0);
  }, 60_000);

  afterAll(async () => {
    await fleet?.stop();
    ws.dispose();
  });

  /** Runs a flow where `element` must fail at its first step with `message` (after `where`), and `good` must succeed. */
  const expectAuthFailure = async (element: string, message: RegExp, where = `${element} (127.0.0.2:${port})`): Promise<ExecutionReport> => {
    const { code, rep } = await runFlow(ws, `auth-${element}`);
    expect(code).toBe(1);
    expect(rep.status).toBe('failed');
    expectNothingLost(rep);
    const failed = runOf(rep, 'who', element);
    expect(failed.status, describeRuns(rep)).toBe('failed');
    expect(failed.error?.startsWith(`${where}: `), failed.error ?? '').toBe(true);
    expect(failed.error).toMatch(message);
    expect(runOf(rep, 'after', element).status).toBe('skipped');
    expect(runOf(rep, 'who', 'good').status).toBe('succeeded');
    expect(runOf(rep, 'after', 'good').status).toBe('succeeded');
    return rep;
  };

  /** Runs `element` alone, expects it to succeed, and returns the sshd log lines its run added. */
  const expectLogin = async (element: string): Promise<string> => {
    const before = fleet.logText().length;
    const { code, rep } = await runFlow(ws, `auth-${element}`);
    expect(rep.status, describeRuns(rep)).toBe('succeeded');
    expect(code).toBe(0);
    return fleet.logText().slice(before);
  };
  /** sshd's line for a login with the key at `path` ("Accepted publickey for USER ... ED25519 SHA256:..."). */
  const keyLogin = (type: string, path: string): RegExp =>
    new RegExp(`^Accepted publickey for ${literal(fleet.user)} from .* ${type} ${literal(publicKeyFingerprint(path))}$`, 'm');

  it('a key the host does not authorize: "authentication failed for user ... (tried: ...)"', async () => {
    await expectAuthFailure(
      'stranger',
      new RegExp(literal(`authentication failed for user "${fleet.user}" (tried: publickey (credential stranger-key))`)),
    );
  });

  it('a wrong password: "authentication failed for user ... (tried: password ...)", and the password never shows', async () => {
    const rep = await expectAuthFailure(
      'bad-pw',
      new RegExp(literal(`authentication failed for user "${fleet.user}" (tried: password (credential wrong-password))`)),
    );
    const logs = await ws.run(['logs', String(rep.id)]);
    expect(logs.stdout).toContain('authentication failed');
    for (const text of [JSON.stringify(rep), logs.stdout]) expect(text).not.toContain(fleet.password as string);
  });

  it('the right password logs in with the password method', async () => {
    const log = await expectLogin('good-pw');
    expect(log).toMatch(new RegExp(`^Accepted password for ${literal(fleet.user)} from `, 'm'));
    expect(log).not.toMatch(/^Accepted publickey/m);
  });

  it('a passphrase-protected key stored with its passphrase logs in with that key', async () => {
    expect(await expectLogin('phrase')).toMatch(keyLogin('ED25519', fleet.keys.passphrase.path));
  });

  it('a PEM RSA key logs in with that key', async () => {
    expect(await expectLogin('pem')).toMatch(keyLogin('RSA', fleet.keys.pem));
  });

  it("an element's identityFile logs in with that key, without any stored credential", async () => {
    expect(await expectLogin('idfile')).toMatch(keyLogin('ED25519', fleet.keys.ed25519));
  });

  it('an encrypted identityFile (no passphrase can be given) fails clearly, naming the file', async () => {
    // Refused before any connection is made; the message still names the element and its address.
    await expectAuthFailure('idfile-locked', new RegExp(literal(`the private key ${fleet.keys.passphrase.path} is encrypted and no passphrase is stored for it`)));
  });

  it('a passphrase-protected key stored without its passphrase is refused at `credential add`, and nothing is stored', async () => {
    const r = await ws.run(['credential', 'add', 'locked-key', '--key', fleet.keys.passphrase.path]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/locked-key/);
    expect(r.stderr).toMatch(/the private key is encrypted: give its passphrase too/);
    const wrong = await ws.run(['credential', 'add', 'locked-key', '--key', fleet.keys.passphrase.path, '--passphrase-env', 'KEY_PASS'], {
      KEY_PASS: 'not-the-passphrase',
    });
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/the passphrase does not decrypt the private key/);
    const listed = await ws.run(['credential', 'list', '--json']);
    expect((JSON.parse(listed.stdout) as Array<{ id: string }>).map((c) => c.id)).not.toContain('locked-key');
  });
});
