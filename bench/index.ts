import { engineOverhead } from './engine-overhead';

/** `npm run bench`: speed lives here, never in timed tests (SPEC 10). */
async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const want = (name: string): boolean => only.length === 0 || only.includes(name);
  if (want('engine')) {
    console.log('engine overhead: 2,000 elements x 5 steps, no-op transport, every state change and log committed to SQLite');
    for (const mode of ['parallel', 'serial'] as const) {
      const r = await engineOverhead(mode);
      const verdict = r.perStepRunMs < 1 ? 'ok (< 1 ms)' : 'OVER the 1 ms target';
      console.log(`  ${mode.padEnd(8)} ${r.stepRuns} step runs in ${(r.wallMs / 1000).toFixed(2)} s = ${r.perStepRunMs.toFixed(3)} ms per step run  ${verdict}`);
    }
  }
}

await main();
