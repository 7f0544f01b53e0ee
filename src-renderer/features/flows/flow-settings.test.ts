import { describe, expect, it } from 'vitest';
import { defaultOfText, defaultTextOf, parseNumberControl, readSettings } from './flow-settings';

describe('flow-settings', () => {
  it('reads a flow loosely, as the form shows it', () => {
    const view = readSettings({
      id: 'roll',
      name: 'Roll',
      mode: 'parallel',
      targets: { groups: ['app'], profile: 'pg', filters: { rank: 2 }, expression: 'true' },
      params: [{ name: 'reason', default: 'x', required: true }, { name: 'n', default: 5 }, 'junk'],
      concurrency: 2,
      failFast: false,
      processing: 'elements\n',
    });
    expect(view.mode).toBe('parallel');
    expect(view.targets).toEqual({ profile: 'pg', groups: ['app'], elements: [], filters: { rank: 2 }, expression: 'true' });
    expect(view.params.map((p) => [p.name, p.defaultText, p.required, p.secret])).toEqual([
      ['reason', 'x', true, false],
      ['n', '5', false, false],
      ['', '', false, false],
    ]);
    expect(view.controls).toEqual({ concurrency: 2, failFast: false });
    expect(view.processing).toBe('elements\n');
    expect(readSettings({ mode: 'sideways' }).mode).toBeNull();
  });

  it('reads param defaults as typed JSON when they parse, text otherwise', () => {
    expect(defaultOfText('5')).toBe(5);
    expect(defaultOfText('true')).toBe(true);
    expect(defaultOfText('"5"')).toBe('5');
    expect(defaultOfText('[1, 2]')).toEqual([1, 2]);
    expect(defaultOfText('maintenance window')).toBe('maintenance window');
    expect(defaultOfText('null')).toBe('null');
    expect(defaultOfText('  ')).toBeUndefined();
    // ...and shows them so that reading the text back gives the same value.
    for (const v of [5, true, '5', 'true', 'text', [1, 2]]) expect(defaultOfText(defaultTextOf(v))).toEqual(v);
    expect(defaultTextOf(undefined)).toBe('');
  });

  it('checks number controls against the flow schema bounds; empty is "not set"', () => {
    expect(parseNumberControl('concurrency', '')).toEqual({ ok: true, value: undefined });
    expect(parseNumberControl('concurrency', ' 4 ')).toEqual({ ok: true, value: 4 });
    expect(parseNumberControl('concurrency', '2.5')).toEqual({ ok: false, problem: 'concurrency must be a whole number' });
    expect(parseNumberControl('concurrency', '0')).toEqual({ ok: false, problem: 'concurrency must be at least 1' });
    expect(parseNumberControl('concurrency', '1001')).toEqual({ ok: false, problem: 'concurrency must be at most 1000' });
    expect(parseNumberControl('batchSize', 'abc')).toEqual({ ok: false, problem: 'batchSize must be a number' });
    expect(parseNumberControl('batchSize', '0x10')).toEqual({ ok: false, problem: 'batchSize must be a number' });
    expect(parseNumberControl('delayBetweenBatches', '0')).toEqual({ ok: true, value: 0 });
    expect(parseNumberControl('delayBetweenBatches', '1.5')).toEqual({ ok: true, value: 1.5 });
    expect(parseNumberControl('maxFailPercent', '101')).toEqual({ ok: false, problem: 'maxFailPercent must be at most 100' });
    expect(parseNumberControl('timeout', '0')).toEqual({ ok: false, problem: 'timeout must be more than 0' });
    expect(parseNumberControl('timeout', '-5')).toEqual({ ok: false, problem: 'timeout must be more than 0' });
    expect(parseNumberControl('timeout', '2.')).toEqual({ ok: true, value: 2 });
  });
});
