// INI values, one by one, against ansible-inventory: the same text on a host line and in a
// [group:vars] section must give Flowdeck the value Ansible reports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonValue, ResolvedElement } from '../../src-shared/domain/inventory';
import { ansibleInventory, hasAnsibleInventory } from '../support/ansible-inventory';
import { Workspace } from '../support/cli';

/** `[g:vars]` right-hand sides: literals, near-literals and plain text. */
const VARS_VALUES = [
  '1', '-5', '+3', '--3', '0', '00', '007', '0_7', '1_000', '0x1F', '0o17', '0b101', '1.5', '1.', '.5', '1e3', '1.5e-3', '2.50', '1_0.5',
  'True', 'False', 'None', 'true', 'false', 'yes', 'no', 'null', '+True', '-(1)',
  "'single'", '"double"', "'it''s'", '"a" "b"', "'''tri'''", "u'uni'", "b'bytes'", "r'\\d'", "'\\n\\t'", "'\\x41\\u00e9'", "f'x'",
  '[1, 2]', '[1, [2, [3]]]', '[]', '[1, 2,]', '(1, 2)', '(1,)', '()', '(1)', '1, 2', "{'a': 1}", '{"k": "v", "n": {"x": [1, 2]}}', '{}',
  // No float keys (1.5): Flowdeck reads a dotted key as nested (context.1.5).
  "{1: 'a', True: 'b', None: 'c', 0: 'e', False: 'f'}", "{'a': True, 'b': (1, 2)}",
  'hello', 'two words', 'a=b', 'x # not a comment', '1 # a comment', "'q' # a comment", '[1,', '1 if True else 2', 'not True', '[1]+[2]', '1;2',
  '~', '{{ templated }}', '/usr/bin/python3', '10.0.0.1', '1.2.3', "'unterminated", '',
];

/** Host-line words after `k=`: shell quoting comes off first, then the same reading. */
const HOST_VALUES = ['1', "'1'", '"\'1\'"', '"[1, 2]"', "'{\"a\": 1}'", '"a b"', 'a\\ b', "'it'\"'\"'s'", 'True', 'false', '"1.5"', "'None'", '007', "''"];

function iniFor(): string {
  const vars = VARS_VALUES.map((v, i) => `v${i}=${v}`).join('\n');
  const host = HOST_VALUES.map((v, i) => `h${i}=${v}`).join(' ');
  return `[g]\nhost1 ${host}\n\n[g:vars]\n${vars}\n`;
}

beforeAll(async () => {
  if (!(await hasAnsibleInventory())) throw new Error('ansible-inventory is missing: run `bash scripts/install-system-deps.sh` (it installs ansible-core)');
});

describe('INI values are read as ansible-core reads them', () => {
  const ws = new Workspace();
  afterAll(() => ws.dispose());

  it(`${VARS_VALUES.length} [g:vars] values and ${HOST_VALUES.length} host-line values give what ansible-inventory reports`, async () => {
    const file = ws.file('values.ini', iniFor());
    const r = await ws.run(['inventory', 'import', file]);
    expect(r.code, r.stderr).toBe(0);
    const ansible = (await ansibleInventory([file])).get('host1')?.vars ?? {};
    const host1 = (await ws.json<ResolvedElement[]>(['inventory', 'list', '--json'])).find((e) => e.id === 'host1');
    const pairs = (prefix: string, values: readonly string[], vars: Record<string, JsonValue | undefined>) =>
      values.map((v, i) => ({ written: v, value: vars[`${prefix}${i}`] }));
    const mine = host1?.context ?? {};
    expect(pairs('v', VARS_VALUES, mine)).toEqual(pairs('v', VARS_VALUES, ansible));
    expect(pairs('h', HOST_VALUES, mine)).toEqual(pairs('h', HOST_VALUES, ansible));
  });

  it('refuses, at its line, what ansible-inventory cannot print either (a set, a complex number), writing nothing', async () => {
    for (const [value, message] of [
      ['{1, 2}', /v: a set/],
      ['2j', /v: a complex number/],
      ['[1, ...]', /v: "\.\.\." \(Ellipsis\)/],
    ] as const) {
      const file = ws.file('bad.ini', `[g]\nbad1\n[g:vars]\nv=${value}\n`);
      const r = await ws.run(['inventory', 'import', file]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toMatch(new RegExp(`^flowdeck: .*bad\\.ini:4: ${message.source}`));
      const list = await ws.json<ResolvedElement[]>(['inventory', 'list', '--json']);
      expect(list.map((e) => e.id)).not.toContain('bad1');
    }
  });
});
