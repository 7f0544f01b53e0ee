import { existsSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { AnyAuthMethod, ParsedKey } from 'ssh2';
import type { ResolvedElement } from '../../../src-shared/domain/inventory';
import type { CredentialSecret } from '../../secrets/credential-check';
import { TransportError } from '../types';
import type { KeyParser } from './ssh2-module';

const who = (e: ResolvedElement): string => `${e.id} (${e.host}:${e.port})`;

export interface AuthPlan {
  username: string;
  methods: AnyAuthMethod[];
  /** Human names of the methods, for the "authentication failed (tried: ...)" message. */
  tried: string[];
  /** Secret strings to redact from logs if a command echoes them. */
  secrets: string[];
}

function readKeyFile(path: string, element: ResolvedElement): string {
  const full = path.startsWith('~/') ? join(homedir(), path.slice(2)) : path;
  try {
    return readFileSync(full, 'utf8');
  } catch (e) {
    throw new TransportError('auth', `${who(element)}: cannot read identity file ${full}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

/**
 * Keys already parsed, by the credential that holds them: the credential lookup hands out the
 * same object while the stored credential is unchanged, so a run's connections parse each key
 * once (parsing is a good part of a connection's own work), and drop it with the credential.
 */
const parsedKeys = new WeakMap<CredentialSecret, ParsedKey>();

function parseOrRefuse(parseKey: KeyParser, key: string, passphrase: string | undefined, label: string, element: ResolvedElement): ParsedKey {
  const parsed = parseKey(key, passphrase);
  if (parsed instanceof Error) {
    const encrypted = /encrypted|passphrase/i.test(parsed.message);
    throw new TransportError(
      'auth',
      encrypted && !passphrase
        ? `${who(element)}: the private key ${label} is encrypted and no passphrase is stored for it`
        : `${who(element)}: cannot use the private key ${label}: ${parsed.message}`,
    );
  }
  return parsed;
}

/** The publickey method with the key parsed (ssh2 takes a parsed key as it is). */
function keyMethod(username: string, key: ParsedKey): AnyAuthMethod {
  return { type: 'publickey', username, key };
}

function credentialKey(parseKey: KeyParser, credential: CredentialSecret, privateKey: string, label: string, element: ResolvedElement): ParsedKey {
  let key = parsedKeys.get(credential);
  if (!key) parsedKeys.set(credential, (key = parseOrRefuse(parseKey, privateKey, credential.passphrase, label, element)));
  return key;
}

/**
 * The methods to try, in OpenSSH's spirit: the element's credential (key, password or agent),
 * else its IdentityFile, else the agent and the default identity files. Keys are parsed here (with
 * ssh2's parser), so a key that cannot be used is refused before the handshake.
 */
export function planAuth(
  element: ResolvedElement,
  credential: CredentialSecret | undefined,
  agentSocket: string | undefined,
  parseKey: KeyParser,
): AuthPlan {
  const username = element.user ?? credential?.username ?? userInfo().username;
  const methods: AnyAuthMethod[] = [];
  const tried: string[] = [];
  const secrets: string[] = [];
  if (credential) {
    if (credential.kind === 'key' && credential.privateKey) {
      methods.push(keyMethod(username, credentialKey(parseKey, credential, credential.privateKey, `of credential "${element.credential}"`, element)));
      tried.push(`publickey (credential ${element.credential})`);
      if (credential.passphrase) secrets.push(credential.passphrase);
    } else if (credential.kind === 'password' && credential.password !== undefined) {
      methods.push({ type: 'password', username, password: credential.password });
      tried.push(`password (credential ${element.credential})`);
      secrets.push(credential.password);
    } else if (credential.kind === 'agent') {
      if (!agentSocket) throw new TransportError('auth', `${who(element)}: credential "${element.credential}" uses ssh-agent but SSH_AUTH_SOCK is not set`);
      methods.push({ type: 'agent', username, agent: agentSocket });
      tried.push('ssh-agent');
    }
  }
  if (element.identityFile) {
    methods.push(keyMethod(username, parseOrRefuse(parseKey, readKeyFile(element.identityFile, element), undefined, element.identityFile, element)));
    tried.push(`publickey (${element.identityFile})`);
  }
  if (methods.length === 0) {
    if (agentSocket) {
      methods.push({ type: 'agent', username, agent: agentSocket });
      tried.push('ssh-agent');
    }
    for (const name of ['id_ed25519', 'id_ecdsa', 'id_rsa']) {
      const path = join(homedir(), '.ssh', name);
      if (!existsSync(path)) continue;
      const key = readFileSync(path, 'utf8');
      // An encrypted default key cannot be used without a stored passphrase: skip it, as BatchMode would.
      if (parseKey(key) instanceof Error) continue;
      methods.push({ type: 'publickey', username, key });
      tried.push(`publickey (~/.ssh/${name})`);
    }
  }
  if (methods.length === 0) {
    throw new TransportError('auth', `${who(element)}: no way to authenticate: give the element a credential or an identity file, or run an ssh-agent`);
  }
  return { username, methods, tried, secrets };
}
