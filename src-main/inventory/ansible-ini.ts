// Ansible INI inventories, read as ansible-core's ini plugin reads them, so a file
// Ansible accepts imports and one it rejects is rejected here too, at the same line.
import type { InventoryDocument, JsonValue } from '../../src-shared/domain/inventory';
import { FlowdeckError } from '../../src-shared/errors';
import { AnsibleInventoryBuilder, type At } from './ansible-builder';
import { iniValue, splitShellWords } from './ansible-values';
import { combineLayers } from './combine';
import { expandHostPattern } from './host-patterns';
import type { SourceLayer } from './source-layer';

type State = 'hosts' | 'vars' | 'children';

// Only `#` starts a comment after a header or a child group name, as in ansible-core.
const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/;

/** A reference Ansible resolves only at the end of the file (a group may be declared later). */
interface Pending {
  line: number;
  message: string;
}

/** The file alone as a Flowdeck document (see parseAnsibleIniLayer). */
export function parseAnsibleIni(text: string, fileName: string): InventoryDocument {
  return combineLayers([parseAnsibleIniLayer(text, fileName)]);
}

/**
 * Parses an INI inventory into what it says. Hosts before any section are "ungrouped"; `[all:vars]` makes an
 * `all` group that every element is in, first, so its variables have the lowest precedence.
 * The first problem is thrown as FlowdeckError('invalid-input') with its 1-based line; problems
 * that need the whole file (a group used but never declared) come after the line-by-line ones.
 */
export function parseAnsibleIniLayer(text: string, fileName: string): SourceLayer {
  const b = new AnsibleInventoryBuilder();
  // `[g]` and `[g:children]` declare a group; `[g:vars]` and a `[p:children]` entry only use it.
  const declared = new Set(['all', 'ungrouped']);
  const pending = new Map<string, Pending>();
  let group = 'ungrouped';
  let state: State = 'hosts';
  let lineNo = 0;
  const at: At = () => ({ file: fileName, line: lineNo });
  const fail: (message: string) => never = (message) => {
    throw new FlowdeckError('invalid-input', message, at());
  };

  for (const rawLine of text.split(/\r?\n/)) {
    lineNo++;
    const line = rawLine.trim();
    if (line === '' || line[0] === '#' || line[0] === ';') continue;

    const section = SECTION.exec(line);
    if (section) {
      group = section[1] as string;
      const kind = section[2] ?? 'hosts';
      if (kind !== 'hosts' && kind !== 'vars' && kind !== 'children') {
        fail(`unknown section type ":${kind}" in [${group}:${kind}]; use [${group}], [${group}:vars] or [${group}:children]`);
      }
      state = kind as State;
      b.group(group, at);
      if (state === 'vars') {
        b.groupHasVars(group, at);
        if (!declared.has(group) && !pending.has(group)) {
          pending.set(group, { line: lineNo, message: `[${group}:vars] is for a group that is never declared; add a [${group}] or [${group}:children] section` });
        }
      } else {
        declared.add(group);
      }
      continue;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      fail(`invalid section header ${line}: a group name has no spaces, ":" or "]" (e.g. [web] or [web:vars])`);
    }

    if (state === 'hosts') parseHostLine(line);
    else if (state === 'vars') parseVarsLine(line);
    else parseChildLine(line);
  }

  for (const [name, p] of pending) {
    if (!declared.has(name)) throw new FlowdeckError('invalid-input', p.message, { file: fileName, line: p.line });
  }
  return b.layer();

  function parseHostLine(line: string): void {
    const split = splitShellWords(line);
    if (!split.ok) fail(split.message);
    const [first, ...rest] = split.value;
    if (first === undefined) return;
    if (first.includes('=')) {
      fail(`"${first}" looks like a variable, but [${group}] lists hosts; put variables under [${group}:vars]`);
    }
    const expanded = expandHostPattern(first);
    if (!expanded.ok) fail(expanded.message);
    const vars: Array<[string, JsonValue]> = [];
    for (const word of rest) {
      const eq = word.indexOf('=');
      if (eq < 0) fail(`expected key=value after the host name, got "${word}"`);
      if (eq === 0) fail(`expected key=value after the host name, got "${word}" (no key)`);
      const value = iniValue(word.slice(eq + 1));
      if (!value.ok) fail(`${word.slice(0, eq)}: ${value.message}`);
      vars.push([word.slice(0, eq), value.value]);
    }
    for (const alias of expanded.value.hosts) {
      b.host(alias, group, at);
      if (expanded.value.port !== undefined) b.hostVar(alias, 'ansible_port', expanded.value.port, at);
      for (const [k, v] of vars) b.hostVar(alias, k, v, at);
    }
  }

  function parseVarsLine(line: string): void {
    const eq = line.indexOf('=');
    if (eq < 0) fail(`expected key=value in [${group}:vars], got "${line}"`);
    const key = line.slice(0, eq).trim();
    if (key === '') fail(`expected key=value in [${group}:vars], got "${line}" (no key)`);
    const value = iniValue(line.slice(eq + 1).trim());
    if (!value.ok) fail(`${key}: ${value.message}`);
    b.groupVar(group, key, value.value, at);
  }

  function parseChildLine(line: string): void {
    const m = GROUP_NAME.exec(line);
    if (!m) fail(`expected one group name per line in [${group}:children], got "${line}"`);
    const child = m[1] as string;
    if (child === group) fail(`[${group}:children] names "${group}" itself; a group cannot be its own child`);
    if (!declared.has(child) && !pending.has(child)) {
      pending.set(child, { line: lineNo, message: `[${group}:children] names "${child}", a group that is never declared; add a [${child}] section` });
    }
    b.child(group, child, at);
  }
}
