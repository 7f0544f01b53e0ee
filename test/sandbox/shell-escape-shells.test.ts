/**
 * The escaping checked against real shells: every (template, value) pair is rendered, run by
 * dash (/bin/sh on Debian) and by bash, and must print exactly the value's text; no value may
 * ever create a `pwned-*` file (every hostile value tries to).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src-shared/domain/inventory';
import { planShellTemplate } from '../../src-main/sandbox/shell-context';
import { renderShellTemplate } from '../../src-main/sandbox/shell-escape';
import { valueText } from '../../src-main/sandbox/template-values';
import { nastyValues, randomStrings } from '../support/nasty-values';

type Shell = 'sh' | 'bash';

interface ShellCase {
  template: string;
  /** What the rendered command prints for a value whose text is `t`; without it only nothing may run. */
  expect?: (t: string) => string;
  shells?: Shell[];
  /** The slot values for one test value (default: the value in every slot). */
  slotValues?: (value: JsonValue, slots: number) => JsonValue[];
  /** The values to try (default: every nasty and random value). */
  values?: JsonValue[];
}

/** Command substitution drops trailing newlines. */
const stripped = (t: string): string => t.replace(/\n+$/u, '');

/** The `shq` helper of the sandbox, as the expression `shq(x)` computes it. */
function shq(value: JsonValue): string {
  if (Array.isArray(value)) return value.map(shq).join(' ');
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return `'${String(value).split("'").join("'\\''")}'`;
  return `'${JSON.stringify(value).split("'").join("'\\''")}'`;
}

const numbers: JsonValue[] = [0, 1, 3, -4, '2', '-1', '+2'];
const allValues: JsonValue[] = [...nastyValues, ...randomStrings(20261123, 200)];

const cases: ShellCase[] = [
  { template: "printf '%s\\n' {{ x }}", expect: (t) => `${t}\n` },
  { template: `printf '%s\\n' "{{ x }}"`, expect: (t) => `${t}\n` },
  { template: "printf '%s\\n' '{{ x }}'", expect: (t) => `${t}\n` },
  { template: "printf '%s\\n' --dir={{ x }}", expect: (t) => `--dir=${t}\n` },
  { template: `printf '%s\\n' "{{ x }}{{ x }}"`, expect: (t) => `${t}${t}\n` },
  { template: `printf '%s\\n' "a {{ x }} b" '{{ x }}'c{{ x }}`, expect: (t) => `a ${t} b\n${t}c${t}\n` },
  { template: `printf '%s\\n' "pre $(printf '%s' {{ x }}) post"`, expect: (t) => `pre ${stripped(t)} post\n` },
  { template: `printf '%s\\n' "$(printf '%s' "{{ x }}")"`, expect: (t) => `${stripped(t)}\n` },
  { template: `printf '%s\\n' "$(printf '%s' '{{ x }}')"`, expect: (t) => `${stripped(t)}\n` },
  { template: "printf '%s\\n' \"`printf '%s' {{ x }}`\"", expect: (t) => `${stripped(t)}\n` },
  { template: "x=`printf '%s' {{ x }}`; printf '%s\\n' \"$x\"", expect: (t) => `${stripped(t)}\n` },
  { template: "x=`printf '%s' '{{ x }}'`; printf '%s\\n' \"$x\"", expect: (t) => `${stripped(t)}\n` },
  { template: "x=`printf '%s' \"{{ x }}\"`; printf '%s\\n' \"$x\"", expect: (t) => `${stripped(t)}\n` },
  { template: 'x={{ x }}; printf \'%s\\n\' "$x"', expect: (t) => `${t}\n` },
  { template: "case {{ x }} in *) printf '%s\\n' {{ x }};; esac", expect: (t) => `${t}\n` },
  { template: "x=$(case a in a) printf '%s' \"{{ x }}\";; esac); printf '%s\\n' \"$x\" {{ x }}", expect: (t) => `${stripped(t)}\n${t}\n` },
  { template: 'cat <<EOF\n{{ x }}\nEOF', expect: (t) => `${t}\n` },
  { template: 'cat <<EOF\npre {{ x }} post\n{{ x }}\nEOF\nprintf \'%s\\n\' "{{ x }}"', expect: (t) => `pre ${t} post\n${t}\n${t}\n` },
  { template: 'cat <<-EOF\n\t{{ x }}\n\tEOF', expect: (t) => `${t}\n` },
  { template: 'cat <<EOF\nE{{ x }}OF\nEOF', expect: (t) => `E${t}OF\n` },
  { template: "cat <<EOF\n$(printf '%s' {{ x }})\nEOF", expect: (t) => `${stripped(t)}\n` },
  { template: "cat <<EOF\n$(printf '%s' \"{{ x }}\")\nEOF", expect: (t) => `${stripped(t)}\n` },
  { template: "cat <<EOF\n$(printf '%s' '{{ x }}')\nEOF", expect: (t) => `${stripped(t)}\n` },
  { template: "cat <<EOF\n`printf '%s' {{ x }}`\nEOF", expect: (t) => `${stripped(t)}\n` },
  { template: 'cat <<EOF\n${u:-{{ x }}}\nEOF', expect: (t) => `${t}\n` },
  { template: "cat <<A; cat <<B\n{{ x }}\nA\n{{ x }}\nB\nprintf '%s\\n' {{ x }}", expect: (t) => `${t}\n${t}\n${t}\n` },
  { template: "x=$(cat <<EOF\n{{ x }}\nEOF\n); printf '%s\\n' \"$x\"", expect: (t) => `${stripped(t)}\n` },
  { template: `printf '%s\\n' "\${u:-{{ x }}}"`, expect: (t) => `${t}\n` },
  { template: "x=${u:-{{ x }}}; printf '%s\\n' \"$x\"", expect: (t) => `${t}\n` },
  { template: "printf '%s\\n' ${u:-{{ x }}}.", expect: (t) => `${t}.\n` },
  { template: `u={{ x }}; printf '%s\\n' "\${u%{{ x }}}." "\${u##{{ x }}}."`, expect: () => `.\n.\n` },
  { template: `u=a{{ x }}; printf '%s\\n' "\${u#'a'}" "\${u#"a"}" \${u#a}.`, expect: (t) => `${t}\n${t}\n${t.split(/[ \t\n]+/u).join('\n')}.\n`, values: ['b c', 'x', '*', '$(touch pwned-p)'] },
  { template: `printf '%s\\n' "\${u:-\${v:-{{ x }}}}"`, expect: (t) => `${t}\n` },
  { template: "cat <<EOF\n${u:-{{ x }}} ${u#{{ x }}}.\nEOF", expect: (t) => `${t} .\n` },
  { template: "printf '%s\\n' \"`printf '%s' ${u:-{{ x }}}`\"", expect: (t) => `${stripped(t)}\n` },
  { template: `u={{ x }}; printf '%s\\n' "\${u#{{ x }}}."`, expect: () => `.\n` },
  { template: "printf 'ok\\n' # {{ x }}", expect: () => 'ok\n' },
  { template: `printf '%s\\n' "{{ x }}" # {{ x }} '{{ x }}'`, expect: (t) => `${t}\n` },
  { template: "printf '%s\\n' {{ x }}>\"$TMPDIR/out\"; cat \"$TMPDIR/out\"", expect: (t) => `${t}\n` },
  { template: "f() { printf '%s\\n' {{ x }}; }; f", expect: (t) => `${t}\n` },
  { template: "if [ -n {{ x }} ]; then printf '%s\\n' {{ x }}; fi", expect: (t) => (t === '' ? '' : `${t}\n`) },
  { template: `for v in {{ x }} "{{ x }}"; do printf '%s\\n' "$v"; done`, expect: (t) => `${t}\n${t}\n` },
  { template: "printf '%s\\n' {{ x }}{{ x }}", expect: (t) => `${t}${t}\n` },
  { template: `: "\${v:={{ x }}}"; printf '%s\\n' "$v"`, expect: (t) => `${t}\n` },
  { template: `x=$(printf '%s' ')' "{{ x }}"); printf '%s\\n' "$x"`, expect: (t) => `)${stripped(t)}\n` },
  { template: "x=$(printf '%s' {{ x }} # {{ x }} )\n); printf '%s\\n' \"$x\"", expect: (t) => `${stripped(t)}\n` },
  { template: "x=$(cat <<-EOF\n\t{{ x }}\n\tEOF\n); printf '%s\\n' \"$x\"", expect: (t) => `${stripped(t)}\n` },
  { template: "cat <<EOF\n$(cat <<X\n{{ x }}\nX\n)\nEOF", expect: (t) => `${stripped(t)}\n` },
  { template: "printf '%s\\n' a \\\n  {{ x }}", expect: (t) => `a\n${t}\n` },
  {
    template: '{{ raw cmd }} {{ x }}',
    expect: (t) => `${t}\n`,
    slotValues: (value) => ["printf '%s\\n'", value],
  },
  {
    template: `{{ raw open }}{{ x }}"`,
    expect: (t) => `${t}\n`,
    slotValues: (value) => [`printf '%s\\n' "`, value],
  },
  {
    template: "printf '%s\\n' {{ shq(x) }}",
    expect: (t) => `${t}\n`,
    slotValues: (value) => [shq(value)],
    values: allValues.filter((value) => !Array.isArray(value)),
  },
  {
    template: "printf '%s\\n' {{ shq(x) }}",
    expect: (t) => `${(JSON.parse(t) as unknown[]).flat(Infinity).join('\n')}\n`,
    slotValues: (value) => [shq(value)],
    values: [['a b', "c'd"], ['$(touch pwned-list)', '', '*'], [['nested', 'x y'], 'z']].map((list) => list as JsonValue),
  },
  { template: "printf '%s\\n' $'{{ x }}'", expect: (t) => `${t}\n`, shells: ['bash'] },
  // dash has no $'...': it prints a `$` and a single-quoted string, never running the value.
  { template: "printf '%s\\n' $'{{ x }}'", shells: ['sh'] },
  { template: "printf '%s\\n' $(( {{ x }} + 1 ))", expect: (t) => `${Number(t) + 1}\n`, values: numbers },
  { template: "(( y = {{ x }} * 2 )); printf '%s\\n' \"$y\"", expect: (t) => `${Number(t) * 2}\n`, values: numbers, shells: ['bash'] },
  { template: "a=(5 6 7 8 9); printf '%s\\n' \"${a[{{ x }}]}\"", expect: (t) => `${Number(t) + 5}\n`, values: [0, 1, '2', '+3'], shells: ['bash'] },
];


let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flowdeck-shell-escape-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function canaries(): string[] {
  return readdirSync(dir).filter((name) => name.startsWith('pwned'));
}

/**
 * Runs many rendered commands in one shell process (two processes per template, not two per
 * value): each runs in its own subshell after a marker, so its output can be told apart.
 */
function runBatch(shell: Shell, commands: string[]): { outputs: Array<string | undefined>; stderr: string } {
  const script = commands.map((command, index) => `printf '\\036%s\\037' ${index}\n(\n${command}\n)\n`).join('');
  const result = spawnSync(shell === 'sh' ? '/bin/sh' : 'bash', ['-c', script], {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', TMPDIR: dir, HOME: dir, LC_ALL: 'C.UTF-8' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const outputs: Array<string | undefined> = [];
  for (const chunk of result.stdout.split('\u001e').slice(1)) {
    const end = chunk.indexOf('\u001f');
    outputs[Number(chunk.slice(0, end))] = chunk.slice(end + 1);
  }
  return { outputs, stderr: result.stderr };
}

/** Splits commands into batches that stay well under the 128 KiB limit of one argument. */
function batches(commands: string[]): number[][] {
  const out: number[][] = [];
  let current: number[] = [];
  let size = 0;
  commands.forEach((command, index) => {
    if (size + command.length > 60_000 && current.length > 0) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(index);
    size += command.length + 32;
  });
  if (current.length > 0) out.push(current);
  return out;
}

describe('escaped values in real shells', () => {
  it('the harness sees an injection: a value inserted verbatim runs', () => {
    const { outputs } = runBatch('sh', ["printf '%s\\n' $(touch pwned-harness)"]);
    expect(outputs[0]).toBe('\n');
    expect(canaries()).toEqual(['pwned-harness']);
    rmSync(join(dir, 'pwned-harness'));
  });

  for (const testCase of cases) {
    const shells = testCase.shells ?? ['sh', 'bash'];
    for (const shell of shells) {
      it(`${shell}: ${JSON.stringify(testCase.template)}`, () => {
        const plan = planShellTemplate(testCase.template, 'run');
        expect(plan.problems).toEqual([]);
        const values = testCase.values ?? allValues;
        const commands: string[] = [];
        const expected: string[] = [];
        const shown: string[] = [];
        for (const value of values) {
          const slotValues = testCase.slotValues ? testCase.slotValues(value, plan.slots.length) : plan.slots.map(() => value);
          commands.push(renderShellTemplate(plan, slotValues));
          expected.push(testCase.expect ? testCase.expect(valueText(value)) : '');
          shown.push(JSON.stringify(value));
        }
        const mismatches: string[] = [];
        for (const batch of batches(commands)) {
          const { outputs, stderr } = runBatch(
            shell,
            batch.map((index) => commands[index] as string),
          );
          batch.forEach((index, position) => {
            const output = outputs[position];
            const want = testCase.expect ? expected[index] : output;
            if (output !== want) {
              mismatches.push(`value ${shown[index]}\n  command ${JSON.stringify(commands[index])}\n  printed ${JSON.stringify(output)}\n  wanted  ${JSON.stringify(want)}`);
            }
          });
          if (stderr !== '') mismatches.push(`stderr: ${stderr.slice(0, 2000)}`);
        }
        expect({ canaries: canaries(), mismatches: mismatches.slice(0, 5).join('\n') }).toEqual({ canaries: [], mismatches: '' });
      });
    }
  }
});
