import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { noopTransport } from '../../src-main/transport/noop';
import { EngineHarness } from '../support/engine';

const fleet = (n: number): string =>
  `elements:\n${Array.from({ length: n }, (_, i) => `  - { id: h${i}, name: h${i}, host: 10.8.0.${i + 1}, groups: [fleet] }`).join('\n')}\n`;

/** The most step starts that fall in any one-second window. */
function busiestSecond(starts: number[]): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[i] as number) - (sorted[j] as number) >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('rateLimit: step starts per second in an execution', () => {
  let h: EngineHarness;
  beforeEach(async () => {
    h = await new EngineHarness().open({ ssh: noopTransport });
    h.inventory(fleet(12));
  });
  afterEach(() => h.close());

  it('a parallel fleet-wide step starts at most N per second, child flow steps counted too', async () => {
    h.flows(
      'id: wave\nname: wave\nmode: parallel\nconcurrency: 50\nrateLimit: 4\ntargets: { groups: [fleet] }\nsteps:\n  - { id: a, run: "true" }\n  - { id: call, flow: inner }\n',
      'id: inner\nname: inner\nmode: parallel\nsteps:\n  - { id: b, run: "true" }\n',
    );
    const report = await h.run('wave');
    expect(report.status).toBe('succeeded');
    const starts = report.runs.filter((r) => r.step !== 'call').map((r) => r.startedAt as number);
    expect(starts).toHaveLength(24);
    expect(busiestSecond(starts)).toBeLessThanOrEqual(4);
    // 24 starts at 4 per second cannot take less than 5 seconds.
    expect(Math.max(...starts) - Math.min(...starts)).toBeGreaterThanOrEqual(5000);
  }, 30_000);

  it('without a rateLimit the same fleet starts together', async () => {
    h.flows('id: burst\nname: burst\nmode: parallel\nconcurrency: 50\ntargets: { groups: [fleet] }\nsteps:\n  - { id: a, run: "true" }\n');
    const report = await h.run('burst');
    expect(busiestSecond(report.runs.map((r) => r.startedAt as number))).toBe(12);
  });
});
