import { describe, expect, it } from 'vitest';
import { jsonTextOf, objectOf, parseJsonObject, rowValueOf, rowsOf } from './json-object';

describe('JSON object text and key/value rows', () => {
  it('parses an object, treats blank text as {}, and says where and why anything else fails', () => {
    expect(parseJsonObject('{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonObject('  ')).toEqual({ ok: true, value: {} });
    expect(parseJsonObject('[1]')).toEqual({ ok: false, problem: 'must be a JSON object ({ ... })' });
    const bad = parseJsonObject('{\n  "a": 1,\n}');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problem).toMatch(/^3:1: /);
  });

  it('reads row values as JSON when they parse and as text otherwise', () => {
    expect(objectOf([{ key: 'port', value: '5432' }, { key: 'on', value: 'true' }, { key: 'list', value: '[1, 2]' }, { key: 'zone', value: 'eu west' }])).toEqual({
      ok: true,
      value: { port: 5432, on: true, list: [1, 2], zone: 'eu west' },
    });
    expect(objectOf([{ key: 'n', value: '"5"' }])).toEqual({ ok: true, value: { n: '5' } });
  });

  it('skips blank rows and refuses a value without a key or a key twice', () => {
    expect(objectOf([{ key: '', value: '' }, { key: 'a', value: 'x' }])).toEqual({ ok: true, value: { a: 'x' } });
    expect(objectOf([{ key: ' ', value: 'x' }])).toEqual({ ok: false, problem: 'row 1: the value "x" has no key' });
    expect(objectOf([{ key: 'a', value: '1' }, { key: 'a ', value: '2' }])).toEqual({ ok: false, problem: 'row 2: "a" is already set above' });
  });

  it('round-trips an object through rows without changing a value type', () => {
    const obj = { s: '5', t: 'true', plain: 'eu-west', n: 5, b: false, nested: { x: [1] }, nothing: null };
    expect(rowValueOf('5')).toBe('"5"');
    expect(rowValueOf('eu-west')).toBe('eu-west');
    expect(objectOf(rowsOf(obj))).toEqual({ ok: true, value: obj });
    expect(parseJsonObject(jsonTextOf(obj))).toEqual({ ok: true, value: obj });
  });
});
