import { setImmediate as nextTurn } from 'node:timers/promises';
import type { EngineDeps } from '../../src-main/engine/context';
import type { EngineEventMap } from '../../src-main/engine/events';
import type { Sandbox } from '../../src-main/sandbox';

/** Turns of the event loop with nothing new before the engine counts as idle. */
const QUIET_TURNS = 3;
const MAX_TURNS = 20_000;
// Not `log`: the log sink flushes on its own timer, which starts nothing.
const WATCHED: Array<keyof EngineEventMap> = ['execution', 'stepRun', 'approval', 'batchOrder'];

/**
 * Tells when an in-process engine has nothing left to do but wait (for a held command, an
 * approval, a resume). Between two waits the engine only runs promise chains over synchronous
 * SQLite, except for sandbox calls, which a worker thread answers: so it is idle once no
 * sandbox call is in flight and a few turns of the event loop passed with nothing new
 * recorded. This is how a test proves that something did NOT start, without a clock.
 */
export class EngineIdle {
  private inFlight = 0;
  private activity = 0;
  private drained: Array<() => void> = [];

  constructor(deps: EngineDeps) {
    const sandbox = deps.sandbox;
    const track = (p: Promise<unknown>): Promise<unknown> => {
      this.inFlight++;
      this.activity++;
      return p.finally(() => {
        this.inFlight--;
        this.activity++;
        if (this.inFlight === 0) for (const d of this.drained.splice(0)) d();
      });
    };
    deps.sandbox = new Proxy(sandbox, {
      get(target, prop, receiver): unknown {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function' || prop === 'close') return value;
        return (...args: unknown[]): unknown => {
          const r: unknown = Reflect.apply(value, target, args);
          return r instanceof Promise ? track(r) : r;
        };
      },
    }) satisfies Sandbox;
    for (const name of WATCHED) deps.events.on(name, () => this.activity++);
  }

  /** Resolves once the engine is idle; throws if it never is (something polls or loops). */
  async settle(): Promise<void> {
    let mark = -1;
    let quiet = 0;
    for (let turn = 0; turn < MAX_TURNS; turn++) {
      if (this.inFlight > 0) {
        await new Promise<void>((resolve) => this.drained.push(resolve));
        quiet = 0;
        continue;
      }
      await nextTurn();
      if (this.activity === mark && this.inFlight === 0) {
        if (++quiet >= QUIET_TURNS) return;
      } else {
        quiet = 0;
        mark = this.activity;
      }
    }
    throw new Error(`the engine was still busy after ${MAX_TURNS} turns of the event loop`);
  }
}
