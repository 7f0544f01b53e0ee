import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'ssh2';
import type { ResolvedElement } from '../../../src-shared/domain/inventory';
import type { Db } from '../../store/db';
import { HostKeyBook } from './host-key-check';
import { parseKnownHosts, type KnownHostsEntry } from './known-hosts-file';
import type { CredentialSecret } from '../../secrets/credential-check';
import type { ConnectOptions } from '../types';
import { TransportError } from '../types';
import { planAuth } from './auth';
import { connectChain, tcp, type Hop } from './connect';
import { loadSsh2, type Ssh2Module } from './ssh2-module';
import type { HostKeyAsker } from './host-verify';

export interface SshTransportOptions {
  db: Db;
  /** Decrypts a stored credential (main process only). */
  credential(id: string): CredentialSecret | undefined;
  /** Elements by id, to resolve a ProxyJump that names another element (when the connect call brings no inventory). */
  element(id: string): ResolvedElement | undefined;
  /** Present when a person can confirm an unknown host key; absent for scheduled and --json runs. */
  askHostKey?: HostKeyAsker;
  knownHostsFile?: string;
  agentSocket?: string;
  connectTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  /** Told every secret a connection uses, so the log can redact it if a command echoes them. */
  onSecrets?(secrets: string[]): void;
}

/** Parsed once per file version: a big known_hosts file is not re-read for every connection. */
const knownHostsCache = new Map<string, { mtimeMs: number; entries: KnownHostsEntry[] }>();

function readKnownHosts(path: string): KnownHostsEntry[] {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(path).mtimeMs;
  } catch {
    return [];
  }
  const hit = knownHostsCache.get(path);
  if (hit && hit.mtimeMs === mtimeMs) return hit.entries;
  let entries: KnownHostsEntry[];
  try {
    entries = parseKnownHosts(readFileSync(path, 'utf8'));
  } catch {
    entries = [];
  }
  knownHostsCache.set(path, { mtimeMs, entries });
  return entries;
}

/** `user@host:port` or an element id; OpenSSH's ProxyJump syntax, one hop. */
function jumpElement(spec: string, target: ResolvedElement, opts: SshTransportOptions, elements?: ReadonlyMap<string, ResolvedElement>): ResolvedElement {
  const known = elements ? elements.get(spec) : opts.element(spec);
  if (known) return known;
  const m = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(spec.trim());
  if (!m) throw new TransportError('unreachable', `${target.id}: cannot read jump host "${spec}"`);
  const host = (m[2] as string).replace(/^\[|\]$/g, '');
  return {
    ...target,
    id: `${target.id}~jump~${host}`,
    name: spec,
    host,
    port: m[3] ? Number(m[3]) : 22,
    ...(m[1] ? { user: m[1] } : {}),
    jump: undefined,
  } as ResolvedElement;
}

function hopsFor(target: ResolvedElement, opts: SshTransportOptions, elements?: ReadonlyMap<string, ResolvedElement>): ResolvedElement[] {
  const chain = (target.jump ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s && s !== 'none');
  return [...chain.map((spec) => jumpElement(spec, target, opts, elements)), target];
}

/**
 * One authenticated SSH connection to `element`, through its jump hosts, under the host-key
 * rules (the app's book and ~/.ssh/known_hosts; an unknown key asked only where someone can
 * answer). Returns every client of the chain, the element's last: closing them all in reverse
 * closes the tunnels too. The step transport and the operator's shell both connect through here.
 */
export async function openSshClients(opts: SshTransportOptions, element: ResolvedElement, { signal, elements, interactive }: ConnectOptions): Promise<Client[]> {
  const knownHostsPath = opts.knownHostsFile ?? join(homedir(), '.ssh', 'known_hosts');
  const agentSocket = opts.agentSocket ?? process.env.SSH_AUTH_SOCK;
  // A run nobody watches (a schedule) needs no human: an unknown key fails it clearly instead of waiting.
  const ask = interactive === false ? undefined : opts.askHostKey;
  const chain = hopsFor(element, opts, elements);
  const connectOpts = { connectTimeoutMs: opts.connectTimeoutMs ?? 10_000, keepaliveIntervalMs: opts.keepaliveIntervalMs ?? 15_000, signal };
  // The first hop's TCP connection goes out before ssh2 is loaded and the keys are read, so the
  // server starts its session process meanwhile. A problem with the plan (an unknown credential,
  // a key that cannot be used) is still what is reported, whatever became of that connection.
  const dropFirst = new AbortController();
  const first = tcp(chain[0] as ResolvedElement, { ...connectOpts, signal: AbortSignal.any([signal, dropFirst.signal]) });
  first.catch(() => {}); // awaited below, or dropped with the plan's own error
  let hops: Hop[];
  let ssh2: Ssh2Module;
  try {
    ssh2 = await loadSsh2();
    const book = new HostKeyBook(opts.db, readKnownHosts(knownHostsPath), knownHostsPath);
    hops = chain.map((e) => {
      const credential = e.credential ? opts.credential(e.credential) : undefined;
      if (e.credential && !credential) throw new TransportError('auth', `${e.id} (${e.host}:${e.port}): unknown credential "${e.credential}"`);
      const auth = planAuth(e, credential, agentSocket, ssh2.utils.parseKey);
      if (auth.secrets.length) opts.onSecrets?.(auth.secrets);
      return { element: e, auth, verify: { db: opts.db, book, ask }, knownTypes: book.knownTypes(e.host, e.port) };
    });
  } catch (e) {
    dropFirst.abort();
    first.then(
      (sock) => sock.destroy(),
      () => {},
    );
    throw e;
  }
  return connectChain(ssh2, hops, first, connectOpts);
}
