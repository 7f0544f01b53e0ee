import { describe, expect, it } from 'vitest';
import { InsertionError, isShqCall, parseRawSlot, valueText } from './template-values';

describe('parseRawSlot', () => {
  it('reads the raw prefix', () => {
    expect(parseRawSlot(' raw cmd ')).toEqual({ raw: true, code: 'cmd ' });
    expect(parseRawSlot('raw\telement.context.flags')).toEqual({ raw: true, code: 'element.context.flags' });
    expect(parseRawSlot('\n raw\n  params.a + params.b ')).toEqual({ raw: true, code: 'params.a + params.b ' });
    expect(parseRawSlot(' raw (a || b) ')).toEqual({ raw: true, code: '(a || b) ' });
    expect(parseRawSlot(' raw -x ')).toEqual({ raw: true, code: '-x ' });
    expect(parseRawSlot(' raw !ok ')).toEqual({ raw: true, code: '!ok ' });
    expect(parseRawSlot(' raw "a" ')).toEqual({ raw: true, code: '"a" ' });
    expect(parseRawSlot(' raw inputs.x ')).toEqual({ raw: true, code: 'inputs.x ' });
  });

  it('leaves expressions that only use a name starting with raw alone', () => {
    for (const code of [' raw ', 'raw', ' rawValue ', ' raw.x ', ' raw(x) ', ' raw + 1 ', ' raw - 1 ', ' raw ? a : b ', ' raw === 1 ', ' raw != 1 ', ' raw in o ', ' raw instanceof A ', ' raw.x ', ' raw\n.x ', ' raw && b ', ' raw, b ', ' raws ']) {
      expect(parseRawSlot(code)).toEqual({ raw: false, code });
    }
  });
});

describe('isShqCall', () => {
  it('is true only for one whole call of shq', () => {
    expect(isShqCall(' shq(x) ')).toBe(true);
    expect(isShqCall('shq([a, "b)"], c)')).toBe(true);
    expect(isShqCall('shq (x)')).toBe(true);
    expect(isShqCall('shq(a) + shq(b)')).toBe(false);
    expect(isShqCall('shq(a).trim()')).toBe(false);
    expect(isShqCall('shqx(a)')).toBe(false);
    expect(isShqCall('x')).toBe(false);
    expect(isShqCall('shq(a')).toBe(false);
  });
});

describe('valueText', () => {
  it('writes strings as they are, numbers and booleans with String, the rest as JSON', () => {
    expect(valueText('a b')).toBe('a b');
    expect(valueText(5432)).toBe('5432');
    expect(valueText(1e21)).toBe('1e+21');
    expect(valueText(false)).toBe('false');
    expect(valueText([1, 'a'])).toBe('[1,"a"]');
    expect(valueText({ a: { b: null } })).toBe('{"a":{"b":null}}');
    expect(() => valueText(null)).toThrow(InsertionError);
  });
});
