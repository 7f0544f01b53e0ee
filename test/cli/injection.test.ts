import { existsSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import { Workspace } from '../support/cli';

/**
 * Values from outside (an inventory's context, a param that may come over HTTP) reach commands
 * only as text: whatever they hold, a `{{ }}` never lets them run anything.
 */
describe('injection through templates runs nothing', () => {
  const ws = new Workspace();
  const pwned = ws.path('pwned');
  const hostile = `/tmp; touch ${pwned}`;
  beforeAll(async () => {
    ws.file(
      'inv.yaml',
      `elements:\n  - id: box\n    name: box\n    host: localhost\n    transport: local\n    context:\n      dir: ${JSON.stringify(hostile)}\n      quote: ${JSON.stringify(`x'; touch ${pwned}; echo '`)}\n      dq: ${JSON.stringify(`x"; touch ${pwned}; echo "$(touch ${pwned})`)}\n`,
    );
    expect((await ws.run(['inventory', 'import', ws.path('inv.yaml')])).code).toBe(0);
    const flows = [
      `id: ctx
name: ctx
targets: { elements: [box] }
steps:
  - { id: bare, run: "echo {{ element.context.dir }}" }
  - { id: double, run: 'echo "{{ element.context.dq }}"' }
  - { id: single, run: "echo '{{ element.context.quote }}'" }
  - { id: lsd, run: "ls -d {{ element.context.dir }} || true" }
`,
      `id: param
name: param
targets: { elements: [box] }
params: [{ name: x, default: "plain" }]
steps:
  - { id: echo, run: "echo {{ params.x }}" }
  - id: script
    script: |
      printf '%s\\n' {{ params.x }}
      echo "in quotes: {{ params.x }}"
`,
      `id: raw
name: raw
targets: { elements: [box] }
params: [{ name: cmd, default: "echo raw" }]
steps:
  - { id: raw, run: "{{ raw params.cmd }}" }
`,
    ];
    for (const [i, text] of flows.entries()) {
      const r = await ws.run(['flow', 'import', ws.file(`f${i}.yaml`, text)]);
      expect(r.code, r.stderr).toBe(0);
    }
  });
  beforeEach(() => rmSync(pwned, { force: true }));
  afterAll(() => ws.dispose());

  const logOf = async (id: number, step: string): Promise<string> => (await ws.run(['logs', String(id), '--step', step, '--raw'])).stdout;

  it('a context value is printed as text in a bare word, "..." and \'...\'', async () => {
    const r = await ws.run(['run', 'ctx', '--json']);
    const report = JSON.parse(r.stdout) as ExecutionReport;
    expect(report.status, r.stderr).toBe('succeeded');
    expect(existsSync(pwned)).toBe(false);
    expect((await logOf(report.id, 'bare')).trim()).toBe(hostile);
    expect((await logOf(report.id, 'double')).trim()).toBe(`x"; touch ${pwned}; echo "$(touch ${pwned})`);
    expect((await logOf(report.id, 'single')).trim()).toBe(`x'; touch ${pwned}; echo '`);
  });

  it('a param is text in run: and in a shell script:', async () => {
    const value = `x; touch ${pwned} \`touch ${pwned}\` $(touch ${pwned}) && touch ${pwned}`;
    const r = await ws.run(['run', 'param', '--param', `x=${value}`, '--json']);
    const report = JSON.parse(r.stdout) as ExecutionReport;
    expect(report.status, r.stderr).toBe('succeeded');
    expect(existsSync(pwned)).toBe(false);
    expect((await logOf(report.id, 'echo')).trim()).toBe(value);
    expect((await logOf(report.id, 'script')).trim()).toBe(`${value}\nin quotes: ${value}`);
  });

  it('raw inserts verbatim, on purpose, and flow validate lists each raw insertion', async () => {
    const r = await ws.run(['run', 'raw', '--param', `cmd=touch ${pwned}`, '--json']);
    expect((JSON.parse(r.stdout) as ExecutionReport).status).toBe('succeeded');
    expect(existsSync(pwned)).toBe(true);
    const v = await ws.run(['flow', 'validate', ws.path('f2.yaml')]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/f2\.yaml:6:\d+: raw insertion in steps\[0\]\.run: \{\{ raw params\.cmd \}\}/);
  });
});
