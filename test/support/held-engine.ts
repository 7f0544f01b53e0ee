// The in-process engine on commands the test holds: each test gets a fresh harness whose SSH
// transport is a ControlledTransport over heldFleet(n), so which steps run at once is a state the
// test reads, never a moment it waits for.
import { afterEach, beforeEach } from 'vitest';
import { ControlledTransport } from './controlled-transport';
import { EngineHarness, heldFleet } from './engine';

/** A flow over the held fleet whose steps are held commands named like the steps. */
export function heldFlow(id: string, controls: string, steps = ['A', 'B']): string {
  return `id: ${id}\nname: ${id}\ntargets: { groups: [fleet] }\n${controls}\nsteps:\n${steps.map((s) => `  - { id: ${s}, run: ${s} }`).join('\n')}\n`;
}

export const sorted = (xs: readonly string[]): string[] => [...xs].sort();

export interface HeldEngine {
  /** This test's harness and transport (new for every test). */
  readonly h: EngineHarness;
  readonly t: ControlledTransport;
  /** The held commands once the engine has settled, sorted: `STEP@ELEMENT`. */
  running(): Promise<string[]>;
}

/** Registers the per-test set-up and shut-down in the calling describe block; `flows` are saved for every test. */
export function useHeldEngine(elements: number, ...flows: string[]): HeldEngine {
  let h: EngineHarness | undefined;
  let t: ControlledTransport | undefined;
  beforeEach(async () => {
    t = new ControlledTransport();
    h = await new EngineHarness().open({ ssh: t });
    h.inventory(heldFleet(elements));
    if (flows.length > 0) h.flows(...flows);
  });
  afterEach(() => h?.shutdown());
  const engine: HeldEngine = {
    get h() {
      if (!h) throw new Error('the held engine exists only inside a test');
      return h;
    },
    get t() {
      if (!t) throw new Error('the held engine exists only inside a test');
      return t;
    },
    async running() {
      await engine.h.idle();
      return sorted(engine.t.running());
    },
  };
  return engine;
}
