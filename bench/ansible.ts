// The fan-out against Ansible, the tool operators would otherwise reach for: the same three
// commands on the same 50 sshds, `flowdeck run --json` as a process against `ansible-playbook`
// as a process (spawn to exit both), Ansible with as many forks as hosts. Ansible is measured
// twice: with the `command` module and pipelining on (how playbooks usually run), and with
// `raw` (no Python on the host: Ansible's fastest path). Its SSH connections are OpenSSH's with
// ControlPersist, as Ansible sets them up by default; each round starts with none open.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Fleet } from '../test/support/sshd';
import { buildCli, cliRound } from './cli';
import { delay, median, openFleetRuntime, withFleet } from './fleet';
import { FANOUT_COMMANDS } from './bare-ssh';
import { saveFanoutFlow, SETTLE_MS } from './ssh-fanout';

export interface AnsibleResult {
  hosts: number;
  rounds: number;
  version: string;
  flowdeckMs: number[];
  ansibleCommandMs: number[];
  ansibleRawMs: number[];
  flowdeckMedianMs: number;
  ansibleCommandMedianMs: number;
  ansibleRawMedianMs: number;
}

function ansibleVersion(): string {
  const r = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error('ansible: ansible-playbook is not installed (Debian: apt-get install ansible-core; scripts/install-system-deps.sh does it)');
  }
  return (r.stdout.split('\n')[0] ?? '').trim();
}

/** An INI inventory of the fleet's first `hosts` hosts, logging in as the fleet's user with its key. */
function inventory(fleet: Fleet, hosts: number): string {
  const lines = ['[bench]'];
  fleet.hosts.slice(0, hosts).forEach((h, i) => lines.push(`h${String(i + 1).padStart(3, '0')} ansible_host=${h.address} ansible_port=${h.port}`));
  lines.push(
    '[bench:vars]',
    `ansible_user=${fleet.user}`,
    `ansible_ssh_private_key_file=${fleet.keys.ed25519}`,
    'ansible_python_interpreter=/usr/bin/python3',
    `ansible_ssh_common_args='-o UserKnownHostsFile=${fleet.knownHostsPath} -o StrictHostKeyChecking=yes'`,
  );
  return lines.join('\n') + '\n';
}

function playbook(module: 'command' | 'raw'): string {
  const tasks = FANOUT_COMMANDS.map((c) => `    - ${module}: ${JSON.stringify(c)}`).join('\n');
  return `- hosts: bench\n  gather_facts: false\n  tasks:\n${tasks}\n`;
}

/**
 * One `ansible-playbook` run, spawn to exit, with its own Ansible home and control-socket
 * folder; it must end with every host ok. Afterwards the SSH masters it left (ControlPersist)
 * are stopped, so the next round starts cold as this one did.
 */
function ansibleRound(dir: string, book: string, hosts: number, round: string): Promise<number> {
  const home = join(dir, `ansible-${round}`);
  const cp = join(home, 'cp');
  mkdirSync(cp, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ANSIBLE_HOME: home,
    ANSIBLE_LOCAL_TEMP: join(home, 'tmp'),
    ANSIBLE_SSH_CONTROL_PATH_DIR: cp,
    ANSIBLE_FORKS: String(hosts),
    ANSIBLE_PIPELINING: 'True',
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_RETRY_FILES_ENABLED: 'False',
  };
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const child = spawn('ansible-playbook', ['-i', join(dir, 'inventory.ini'), join(dir, book)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', fail);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      spawnSync('pkill', ['-f', '--', cp]);
      const ok = (out.match(/: ok=3 {4}changed=\d+ {4}unreachable=0 {4}failed=0/g) ?? []).length;
      if (code !== 0 || ok !== hosts) fail(new Error(`ansible: ${book} exited ${code} with ${ok} of ${hosts} hosts ok:\n${out.slice(-2000)}`));
      else done(ms);
    });
  });
}

/** Alternating rounds of flowdeck run, Ansible with `command`, Ansible with `raw`; medians. */
export async function ansibleBench(hosts = 50, rounds = 3): Promise<AnsibleResult> {
  const version = ansibleVersion();
  buildCli();
  return withFleet(hosts, async (fleet) => {
    const b = await openFleetRuntime(fleet, hosts);
    const dir = mkdtempSync(join(b.dir, 'ansible-'));
    try {
      saveFanoutFlow(b, hosts);
      writeFileSync(join(dir, 'inventory.ini'), inventory(fleet, hosts));
      writeFileSync(join(dir, 'command.yml'), playbook('command'));
      writeFileSync(join(dir, 'raw.yml'), playbook('raw'));
      const dbPath = b.rt.db.name;
      // One unmeasured round each: page cache, sshd's first forks, Node's compile cache, Python's bytecode.
      await cliRound(dbPath, fleet.knownHostsPath);
      await ansibleRound(dir, 'raw.yml', hosts, 'warm-raw');
      await ansibleRound(dir, 'command.yml', hosts, 'warm-command');
      await delay(SETTLE_MS);
      const flowdeckMs: number[] = [];
      const ansibleCommandMs: number[] = [];
      const ansibleRawMs: number[] = [];
      for (let r = 0; r < rounds; r++) {
        flowdeckMs.push(await cliRound(dbPath, fleet.knownHostsPath));
        await delay(SETTLE_MS);
        ansibleRawMs.push(await ansibleRound(dir, 'raw.yml', hosts, `raw-${r}`));
        await delay(SETTLE_MS);
        ansibleCommandMs.push(await ansibleRound(dir, 'command.yml', hosts, `command-${r}`));
        await delay(SETTLE_MS);
      }
      return {
        hosts,
        rounds,
        version,
        flowdeckMs,
        ansibleCommandMs,
        ansibleRawMs,
        flowdeckMedianMs: median(flowdeckMs),
        ansibleCommandMedianMs: median(ansibleCommandMs),
        ansibleRawMedianMs: median(ansibleRawMs),
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
      b.close();
    }
  });
}
