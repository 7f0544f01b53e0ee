import { expect } from 'vitest';
import { splitKey, type ControlledTransport } from './controlled-transport';

const sorted = (xs: readonly string[]): string[] => [...xs].sort();

/**
 * Walks an execution through `waves` (the table's notation: each inner list runs side by side,
 * in this order) by ending its commands one at a time. For each wave: every member is running
 * at once and nothing else is; then the members end last-first, and after each end but the
 * last, nothing new has started (the next wave waits for the whole wave). `idle` resolves once
 * the engine has nothing left to do but wait for the commands the transport holds.
 */
export async function driveWaves(t: ControlledTransport, idle: () => Promise<void>, waves: readonly string[][]): Promise<void> {
  for (const wave of waves) {
    await t.allStarted(wave);
    await idle();
    expect(sorted(t.running()), `running while {${wave.join(',')}} should`).toEqual(sorted(wave));
    const ending = [...wave].reverse();
    for (const [i, key] of ending.entries()) {
      t.finish(...splitKey(key));
      if (i === ending.length - 1) break;
      await idle();
      expect(sorted(t.running()), `running after ${key} ended`).toEqual(sorted(ending.slice(i + 1)));
    }
  }
  await idle();
  expect(t.running(), 'running after the last wave').toEqual([]);
}

/** The starts `t` saw, grouped as `waves` are: each group must be the wave, whatever the order within it. */
export function startsByWave(t: ControlledTransport, waves: readonly string[][]): string[][] {
  const starts = t.starts();
  const out: string[][] = [];
  let at = 0;
  for (const wave of waves) {
    out.push(sorted(starts.slice(at, at + wave.length)));
    at += wave.length;
  }
  if (at < starts.length) out.push(starts.slice(at));
  return out;
}

export const sortedWaves = (waves: readonly string[][]): string[][] => waves.map(sorted);
