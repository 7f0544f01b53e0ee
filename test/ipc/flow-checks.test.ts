import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IpcHarness } from './harness';

describe('the editor hears of a template or expression that can never run, at its line', () => {
  const h = new IpcHarness();
  beforeAll(() => h.open());
  afterAll(() => h.close());

  it('validate places a `when:` syntax error and a template error in the YAML', async () => {
    const when = await h.value('flows/validate', { source: 'id: f\nname: f\nsteps:\n  - id: a\n    run: "true"\n    when: "current ==="\n' });
    expect(when).toMatchObject({ ok: false, problem: { message: expect.stringMatching(/steps\[0\]\.when: SyntaxError/), line: 6 } });
    const slot = await h.value('flows/validate', { source: 'id: f\nname: f\nsteps:\n  - id: a\n    run: "echo {{ 1 + }}"\n' });
    expect(slot).toMatchObject({ ok: false, problem: { message: expect.stringMatching(/`\{\{ 1 \+ \}\}`: SyntaxError/), line: 5, column: 16 } });
  });

  it('save refuses it and keeps nothing', async () => {
    const r = await h.call('flows/save', { source: 'id: g\nname: g\nsteps:\n  - id: a\n    run: "echo {{ x"\n' });
    expect(r.ok ? 'saved' : r.error.message).toMatch(/has no closing/);
    expect((await h.value('flows/list', {})).map((f) => f.id)).not.toContain('g');
  });
});
