import { describe, expect, it } from 'vitest';
import { OUTPUT_SAMPLE_BYTES, type OutputGroup } from '../../src-shared/ipc/contract';
import { capSamples, cutUtf8 } from './output-group-queries';

const group = (i: number, bytes: number): OutputGroup => ({ key: `k${i}`, elements: [`e${i}`], size: 1, bytes, sample: 'é'.repeat(Math.min(bytes, OUTPUT_SAMPLE_BYTES) / 2), truncated: bytes > OUTPUT_SAMPLE_BYTES });

describe('output group samples', () => {
  it('cuts UTF-8 at a character boundary', () => {
    expect(cutUtf8('aé', 2)).toBe('a');
    expect(cutUtf8('aé', 3)).toBe('aé');
    expect(cutUtf8('héllo', 100)).toBe('héllo');
  });

  it('a few groups keep their 64 KiB samples', () => {
    const groups = [group(1, 100_000), group(2, 10)];
    capSamples(groups, 4 * 1024 * 1024);
    expect(Buffer.byteLength(groups[0]?.sample ?? '')).toBe(OUTPUT_SAMPLE_BYTES);
    expect(groups[1]?.sample).toBe('é'.repeat(5));
  });

  it('many distinct outputs share the budget, each still at least 1 KiB, and say they were cut', () => {
    const groups = Array.from({ length: 1000 }, (_, i) => group(i, 70_000));
    capSamples(groups, 4 * 1024 * 1024);
    const total = groups.reduce((n, g) => n + Buffer.byteLength(g.sample), 0);
    expect(total).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(groups.every((g) => Buffer.byteLength(g.sample) >= 4000 && g.truncated)).toBe(true);
    const tiny = Array.from({ length: 10_000 }, (_, i) => group(i, 5000));
    capSamples(tiny, 4 * 1024 * 1024);
    expect(tiny.every((g) => Buffer.byteLength(g.sample) === 1024 && g.truncated)).toBe(true);
  });
});
