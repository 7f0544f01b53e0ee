import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FlowdeckError } from '../../src-shared/errors';
import { createDispatcher } from '../../src-main/ipc/dispatcher';
import { createHandlers } from '../../src-main/ipc/handlers';
import { IpcHarness } from './harness';

describe('the dispatcher', () => {
  const h = new IpcHarness();
  beforeAll(async () => {
    await h.open();
  });
  afterAll(() => h.close());

  it('answers an unknown channel with invalid-input naming it', async () => {
    expect(await h.dispatch('nope/never', {})).toEqual({ ok: false, error: { code: 'invalid-input', message: 'unknown channel "nope/never"' } });
    // Inherited names are not channels either.
    expect(await h.dispatch('__proto__', {})).toMatchObject({ ok: false, error: { code: 'invalid-input', message: 'unknown channel "__proto__"' } });
    expect(await h.dispatch('toString', {})).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await h.dispatch(42, {})).toMatchObject({ ok: false, error: { code: 'invalid-input', message: 'unknown channel "(number)"' } });
  });

  it('answers a request its schema refuses with `<channel>: <path>: <issue>`', async () => {
    expect(await h.dispatch('executions/get', { id: -3 })).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: 'executions/get: id: must be more than 0' },
    });
    expect(await h.dispatch('inventory/saveElement', { element: { id: 'a', name: 'a', host: 'h', port: 99999 } })).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: 'inventory/saveElement: element.port: must be at most 65535' },
    });
    expect(await h.dispatch('flows/list', { extra: 1 })).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: 'flows/list: request: unknown key "extra"' },
    });
    expect(await h.dispatch('flows/save', undefined)).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringMatching(/^flows\/save: request: /) } });
    expect(await h.dispatch('runs/start', { flow: 'has space' })).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringMatching(/^runs\/start: flow: must start with a letter or digit/) } });
  });

  it('applies schema defaults before the handler runs', async () => {
    const r = await h.dispatch('executions/log', { stepRunId: 999 });
    // Passed validation (after/limit defaulted), then the handler said the step run is unknown.
    expect(r).toEqual({ ok: false, error: { code: 'not-found', message: 'unknown step run 999' } });
  });

  it("returns a handler's FlowdeckError as it is, location included", async () => {
    const handlers = createHandlers(h.rt, h.live);
    const dispatch = createDispatcher({
      ...handlers,
      'flows/list': () => Promise.reject(new FlowdeckError('invalid-yaml', 'bad indentation', { file: 'x.yaml', line: 3, column: 5 })),
    });
    expect(await dispatch('flows/list', {})).toEqual({
      ok: false,
      error: { code: 'invalid-yaml', message: 'bad indentation', location: { file: 'x.yaml', line: 3, column: 5 } },
    });
    expect(await h.dispatch('flows/get', { id: 'missing' })).toEqual({ ok: false, error: { code: 'not-found', message: 'unknown flow "missing"' } });
  });

  it('answers any other throw as internal, with the message only, and logs the stack to stderr', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const handlers = createHandlers(h.rt, h.live);
      const boom = new TypeError('cannot read properties of undefined');
      const dispatch = createDispatcher({
        ...handlers,
        'tasks/list': () => {
          throw boom;
        },
        'flows/list': () => Promise.reject('a bare string'),
        // A thrown value that cannot even be printed.
        'knownHosts/list': () => Promise.reject(Object.create(null) as object),
      });
      const r = await dispatch('tasks/list', {});
      expect(r).toEqual({ ok: false, error: { code: 'internal', message: 'cannot read properties of undefined' } });
      expect(JSON.stringify(r)).not.toContain('at ');
      expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toContain(boom.stack?.split('\n')[1]?.trim() ?? 'never');
      expect(await dispatch('flows/list', {})).toEqual({ ok: false, error: { code: 'internal', message: 'a bare string' } });
      expect(await dispatch('knownHosts/list', {})).toEqual({ ok: false, error: { code: 'internal', message: 'internal error' } });
    } finally {
      stderr.mockRestore();
    }
  });

  it('never rejects, whatever it is given', async () => {
    const weird: unknown[] = [undefined, null, 0, 'x', [], {}, Symbol('s'), () => 1, Object.create(null), { toString: () => { throw new Error('no'); } }];
    for (const channel of weird) {
      for (const request of weird) {
        const r = await h.dispatch(channel, request);
        expect(r.ok).toBe(false);
      }
    }
    // A valid channel with every kind of wrong request.
    for (const request of weird) expect((await h.dispatch('flows/get', request)).ok).toBe(false);
  });
});
