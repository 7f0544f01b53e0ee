// OpenSSH client config import (`~/.ssh/config`). Settings are applied the way ssh(1)
// applies them: the whole file is read top to bottom for each host alias, every Host block whose
// patterns match contributes, and for each option the FIRST value obtained wins, which is why
// `Host *` defaults belong at the end of the file.
import { slugSchema, type Element, type InventoryDocument } from '../../src-shared/domain/inventory';
import { FlowdeckError } from '../../src-shared/errors';

export interface SshConfigOptions {
  /** The home folder `~` and `%d` stand for; without it they are kept as written. */
  home?: string;
}

type Line =
  | { kind: 'host'; line: number; patterns: string[] }
  | { kind: 'match'; line: number }
  | { kind: 'option'; line: number; key: string; value: string };

/** The keywords an element takes (lower case, as ssh compares them). */
const SINGLE_VALUE = new Set(['hostname', 'port', 'user', 'identityfile', 'proxyjump', 'proxycommand']);

function splitArgs(s: string): { ok: true; args: string[] } | { ok: false; message: string } {
  const args: string[] = [];
  let cur: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (/\s/.test(c)) {
      if (cur !== undefined) args.push(cur);
      cur = undefined;
    } else if (c === '#' && cur === undefined) {
      break;
    } else if (c === '"' || c === "'") {
      const end = s.indexOf(c, i + 1);
      if (end < 0) return { ok: false, message: `unterminated ${c === '"' ? 'double' : 'single'} quote` };
      cur = (cur ?? '') + s.slice(i + 1, end);
      i = end;
    } else {
      cur = (cur ?? '') + c;
    }
  }
  if (cur !== undefined) args.push(cur);
  return { ok: true, args };
}

/** Reads every line once, so a malformed line is reported whichever host it would apply to. */
function readLines(text: string, fileName: string): Line[] {
  const out: Line[] = [];
  let lineNo = 0;
  const fail: (message: string) => never = (message) => {
    throw new FlowdeckError('invalid-input', message, { file: fileName, line: lineNo });
  };
  for (const raw of text.split(/\r?\n/)) {
    lineNo++;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    // `Keyword value`, `Keyword=value` and `Keyword = value` are all valid.
    const m = /^([A-Za-z][A-Za-z0-9]*)(?:\s*=\s*|\s+)?(.*)$/.exec(line);
    if (!m) fail(`expected "Keyword value", got "${line}"`);
    const keyword = m[1] as string;
    const key = keyword.toLowerCase();
    const split = splitArgs(m[2] ?? '');
    if (!split.ok) fail(split.message);
    const args = split.args;
    if (key === 'match') {
      // Match blocks need the connection's runtime facts (exec, localuser, canonical names),
      // which an import does not have, so a Match block and its body are skipped.
      out.push({ kind: 'match', line: lineNo });
      continue;
    }
    if (key === 'include') {
      // Included files are not read: an import takes one file, and reading others from the
      // operator's disk behind their back would be a surprise. Import them separately.
      continue;
    }
    if (args.length === 0) fail(`${keyword} needs a value`);
    if (key === 'host') {
      out.push({ kind: 'host', line: lineNo, patterns: args });
      continue;
    }
    if (!SINGLE_VALUE.has(key)) continue;
    if (key !== 'proxycommand' && args.length > 1) fail(`${keyword} takes one value, got ${args.length}; quote a value with spaces`);
    const value = args[0] as string;
    if (key === 'port' && !(/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 65535)) {
      fail(`Port must be a number from 1 to 65535, not "${value}"`);
    }
    out.push({ kind: 'option', line: lineNo, key, value: key === 'proxycommand' ? args.join(' ') : value });
  }
  return out;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/**
 * Whether a `Host` line applies to `alias`: some pattern matches and no negated one does.
 * ssh lowercases the name it is given; matching without regard to case is the same for the
 * usual lower-case config and does not drop a block written `Host Web1`.
 */
function hostLineMatches(patterns: readonly string[], alias: string): boolean {
  let positive = false;
  for (const p of patterns) {
    const negated = p.startsWith('!');
    if (!globToRegExp(negated ? p.slice(1) : p).test(alias)) continue;
    if (negated) return false;
    positive = true;
  }
  return positive;
}

function isConcrete(pattern: string): boolean {
  return !/[*?!]/.test(pattern);
}

/** ssh's `%` tokens and `~` that an import can know: %h, %r, %d, %%. */
function expandTokens(value: string, vars: { h: string; r?: string; d?: string }, tilde: boolean): string {
  let out = value.replace(/%([%hrd])/g, (whole, t: string) => {
    if (t === '%') return '%';
    const v = t === 'h' ? vars.h : t === 'r' ? vars.r : vars.d;
    return v ?? whole;
  });
  if (tilde && vars.d !== undefined && (out === '~' || out.startsWith('~/'))) out = vars.d + out.slice(1);
  return out;
}

/**
 * Each Host block's concrete names (no `*`, `?` or `!`) become elements with HostName (else
 * the alias), Port, User, IdentityFile and ProxyJump (kept as written, a chain `a,b` whole).
 * Wildcard-only blocks make no element but give defaults. ProxyJump and ProxyCommand exclude
 * each other as in ssh: the first seen wins, and a ProxyCommand means no jump host.
 */
export function parseSshConfig(text: string, fileName: string, opts: SshConfigOptions = {}): InventoryDocument {
  const lines = readLines(text, fileName);
  const aliases = new Map<string, number>();
  for (const l of lines) {
    if (l.kind !== 'host') continue;
    for (const p of l.patterns) {
      if (!isConcrete(p) || aliases.has(p)) continue;
      const ok = slugSchema.safeParse(p);
      if (!ok.success) {
        throw new FlowdeckError('invalid-input', `Host "${p}" cannot be an element id: it ${ok.error.issues[0]?.message ?? 'is not valid'}`, {
          file: fileName,
          line: l.line,
        });
      }
      aliases.set(p, l.line);
    }
  }

  const elements: Element[] = [];
  for (const alias of aliases.keys()) {
    const first = new Map<string, string>();
    let applies = true; // options before the first Host line apply to every host
    for (const l of lines) {
      if (l.kind === 'host') applies = hostLineMatches(l.patterns, alias);
      else if (l.kind === 'match') applies = false;
      else if (applies && !first.has(l.key)) {
        if (l.key === 'proxyjump' && first.has('proxycommand')) continue;
        if (l.key === 'proxycommand' && first.has('proxyjump')) continue;
        first.set(l.key, l.value);
      }
    }
    const hostName = first.get('hostname');
    const user = first.get('user');
    const e: Element = {
      id: alias,
      name: alias,
      host: hostName !== undefined ? expandTokens(hostName, { h: alias }, false) : alias,
      transport: 'ssh',
      groups: [],
      context: {},
      enabled: true,
    };
    const port = first.get('port');
    if (port !== undefined) e.port = Number(port);
    if (user !== undefined) e.user = user;
    const identity = first.get('identityfile');
    if (identity !== undefined && identity.toLowerCase() !== 'none') {
      e.identityFile = expandTokens(identity, { h: e.host, r: user, d: opts.home }, true);
    }
    const jump = first.get('proxyjump');
    if (jump !== undefined && jump.toLowerCase() !== 'none') e.jump = jump;
    elements.push(e);
  }
  return { profiles: [], groups: [], elements };
}
