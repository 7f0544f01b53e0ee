// `npm run deps` (dependency-cruiser with .dependency-cruiser.cjs) refuses any import cycle,
// type-only ones included: proven on a fixture that holds one, and on the sources, that hold none.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '../..');
const depcruise = resolve(repoRoot, 'node_modules/.bin/depcruise');

function cruise(...paths: string[]): { status: number | null; output: string } {
  const r = spawnSync(depcruise, [...paths, '--output-type', 'err'], { cwd: repoRoot, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('no import cycle', () => {
  it('fails on a cycle, naming it', () => {
    const r = cruise('test/fixtures/cycle');
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/no-circular: test\/fixtures\/cycle\/(first|second)\.ts/);
  });

  it('passes on the sources', () => {
    const r = cruise('src-main', 'src-shared', 'src-renderer', 'bench');
    expect(r.output).toMatch(/no dependency violations found/);
    expect(r.status).toBe(0);
  }, 60_000);
});
