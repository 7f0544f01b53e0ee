import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../src-shared/ipc/contract';
import { startHeadless, type HeadlessConsole } from '../../src-main/headless/server';
import { fakeRenderer, trueSteps } from './harness';
import { TestClient } from './ws-client';

const NESTED = 'lists and mappings are nested deeper than 64 levels; Flowdeck reads at most 64';

/** Ten anchors, each a list of nine aliases of the one before. */
function billionLaughs(): string {
  const lines = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < 10; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
  return lines.join('\n') + '\n';
}

describe('hostile text over the console WebSocket: a typed answer every time, the server keeps answering', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowdeck-hostile-ipc-'));
  let hc: HeadlessConsole;
  let c: TestClient;

  beforeAll(async () => {
    hc = await startHeadless({ dbPath: join(dir, 'flowdeck.db'), rendererDir: fakeRenderer(dir), port: 0 });
    c = await TestClient.open(`ws://127.0.0.1:${hc.port}/ipc?token=${hc.token}`);
  });
  afterAll(async () => {
    await c?.close();
    await hc?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('flows/validate of 900-deep YAML, twice: the same problem at 1:65 both times', async () => {
    const deep = '['.repeat(900) + '\n';
    for (let i = 0; i < 2; i++) {
      expect(await c.call('flows/validate', { source: deep })).toEqual({ ok: true, value: { ok: false, problem: { message: NESTED, line: 1, column: 65 } } });
    }
    expect(await c.value('flows/list', {})).toEqual([]);
  });

  it('flows/save and inventory/import of nested, bombed and deep-JSON text: typed errors with their place, nothing saved', async () => {
    const answers: Array<Result<unknown>> = [
      await c.call('flows/save', { source: '['.repeat(900) }),
      await c.call('flows/save', { source: billionLaughs() }),
      await c.call('inventory/import', { fileName: 'deep.json', text: '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000) }),
      await c.call('inventory/import', { fileName: 'bomb.yaml', text: billionLaughs() }),
    ];
    expect(answers.map((a) => (a.ok ? 'ok' : `${a.error.code} ${a.error.location?.file}:${a.error.location?.line}:${a.error.location?.column}`))).toEqual([
      'invalid-input flow.yaml:1:65',
      'invalid-input flow.yaml:6:8',
      'invalid-input deep.json:1:321',
      'invalid-input bomb.yaml:6:8',
    ]);
    expect(await c.value('flows/list', {})).toEqual([]);
    const inv = await c.value<{ elements: Array<{ id: string }> }>('inventory/list', {});
    expect(inv.elements.map((e) => e.id)).toEqual(['localhost']);
  });

  it('a 10,000-level JSON value inside a request (params, an element context) is refused by the schema, never a stack overflow', async () => {
    // Written as text: JSON.stringify itself cannot go that deep.
    const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
    const ask = async (id: number, channel: string, request: string): Promise<Result<unknown>> => {
      c.sendRaw(`{"id":${id},"channel":"${channel}","request":${request}}`);
      return (await c.until(() => c.replies.find((r) => r.id === id))).result;
    };
    const answers = [
      await ask(9001, 'runs/plan', `{"flow":"after","params":{"x":${deep}}}`),
      await ask(9002, 'inventory/saveElement', `{"element":{"id":"deep","name":"deep","host":"h","context":{"x":${deep}}}}`),
    ];
    for (const a of answers) {
      expect(a.ok).toBe(false);
      if (!a.ok) {
        expect(a.error.code).toBe('invalid-input');
        expect(a.error.message).toMatch(/nested deeper than 64 levels/);
      }
    }
  });

  it('still saves and validates an ordinary flow afterwards', async () => {
    const saved = await c.call('flows/save', { source: trueSteps('after', 2) });
    expect(saved.ok).toBe(true);
    expect(await c.call('flows/validate', { source: trueSteps('after', 3) })).toEqual({ ok: true, value: { ok: true, flows: ['after'], tasks: [] } });
  });
});
