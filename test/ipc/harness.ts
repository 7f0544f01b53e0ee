import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Channel, RequestOf, Responses, Result } from '../../src-shared/ipc/contract';
import { openRuntime, type EngineRuntime } from '../../src-main/engine/runtime';
import { createDispatcher, type Dispatch } from '../../src-main/ipc/dispatcher';
import { createHandlers } from '../../src-main/ipc/handlers';
import { LiveExecutions } from '../../src-main/engine/live-executions';
import type { HostKeyAnswers } from '../../src-main/ipc/handlers/known-hosts';

/** The IPC stack in-process: the real engine on a SQLite file in a temp folder, called through the dispatcher. */
export class IpcHarness {
  readonly dir = mkdtempSync(join(tmpdir(), 'flowdeck-ipc-'));
  readonly dbPath = join(this.dir, 'flowdeck.db');
  readonly live = new LiveExecutions();
  rt!: EngineRuntime;
  dispatch!: Dispatch;

  async open(hostKeys?: HostKeyAnswers): Promise<this> {
    this.rt = await openRuntime(this.dbPath);
    this.dispatch = createDispatcher(createHandlers(this.rt, this.live, hostKeys ? { hostKeys } : {}));
    return this;
  }

  /** A typed call, as the renderer makes it. */
  call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Result<Responses[C]>> {
    return this.dispatch(channel, request) as Promise<Result<Responses[C]>>;
  }

  /** The value of a call that must succeed. */
  async value<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Responses[C]> {
    const r = await this.call(channel, request);
    if (!r.ok) throw new Error(`${channel} failed: ${r.error.code}: ${r.error.message}`);
    return r.value;
  }

  /** Polls `executions/get` until the execution is finished. */
  async waitFinished(id: number, timeoutMs = 20_000): Promise<Responses['executions/get']> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const ex = await this.value('executions/get', { id });
      if (['succeeded', 'failed', 'cancelled', 'interrupted'].includes(ex.status)) return ex;
      if (Date.now() > until) throw new Error(`execution ${id} still ${ex.status} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async close(): Promise<void> {
    await this.live.stopAll('test over', 5_000);
    this.rt?.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A stand-in renderer build: index.html and one asset. */
export function fakeRenderer(dir: string): string {
  const root = join(dir, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Flowdeck</title><script type="module" src="./assets/app.js"></script>\n');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log("flowdeck");\n');
  writeFileSync(join(root, 'assets', 'style.css'), 'body { margin: 0 }\n');
  writeFileSync(join(dir, 'secret.txt'), 'outside the renderer\n');
  return root;
}

export const smallInventory = `
groups:
  - { name: pg, vars: { cluster: main } }
elements:
  - { id: pg1, name: pg1, host: localhost, transport: local, groups: [pg], context: { role: replica } }
  - { id: pg2, name: pg2, host: localhost, transport: local, groups: [pg], context: { role: leader } }
  - { id: pg3, name: pg3, host: localhost, transport: local, groups: [pg], context: { role: replica } }
`;

/** A flow of `n` `true` steps on the built-in localhost. */
export function trueSteps(id: string, n: number): string {
  const steps = Array.from({ length: n }, (_, i) => `  - { id: s${i + 1}, run: 'true' }`).join('\n');
  return `id: ${id}\nname: ${id}\ntargets: { elements: [localhost] }\nsteps:\n${steps}\n`;
}
