import { describe, expect, it } from 'vitest';
import { evalPythonLiteral, pythonFloatRepr } from './python-literal';

describe('evalPythonLiteral', () => {
  it('reads literals, and says text for what literal_eval refuses', () => {
    expect(evalPythonLiteral("[1, {'a': (2, None)}, -3.5, 0x10]")).toEqual({ kind: 'value', value: [1, { a: [2, null] }, -3.5, 16] });
    expect(evalPythonLiteral('"a" \'b\' # comment')).toEqual({ kind: 'value', value: 'ab' });
    for (const text of ['false', '007', '1 + 2', '--3', 'x', '[1,', '"a" b"c"', "f'x'", "'a' b'c'"]) expect(evalPythonLiteral(text), text).toEqual({ kind: 'text' });
  });

  it('keeps an integer or float JavaScript cannot hold as text instead of changing it', () => {
    expect(evalPythonLiteral('12345678901234567890')).toEqual({ kind: 'text' });
    expect(evalPythonLiteral('[1e400]')).toEqual({ kind: 'text' });
    expect(evalPythonLiteral('9007199254740991')).toEqual({ kind: 'value', value: 9007199254740991 });
  });

  it('treats brackets nested past Python\'s limit as text, without exhausting the stack', () => {
    expect(evalPythonLiteral('['.repeat(5000) + ']'.repeat(5000))).toEqual({ kind: 'text' });
    expect(evalPythonLiteral('['.repeat(150) + ']'.repeat(150)).kind).toBe('value');
  });

  it('refuses values with no JSON form, in words', () => {
    expect(evalPythonLiteral('{1, 2}')).toMatchObject({ kind: 'refused', message: expect.stringMatching(/a set/) });
    expect(evalPythonLiteral('set()')).toMatchObject({ kind: 'refused' });
    expect(evalPythonLiteral('{(1, 2): 3}')).toMatchObject({ kind: 'refused', message: expect.stringMatching(/dict key/) });
    expect(evalPythonLiteral("'\\N{BULLET}'")).toMatchObject({ kind: 'refused', message: expect.stringMatching(/\\N/) });
  });
});

describe('pythonFloatRepr', () => {
  it('writes floats as Python does', () => {
    expect([1, 0.0001, 0.00001, 1e16, 1.5e16, -2.5, 0, 123456.789].map(pythonFloatRepr)).toEqual(['1.0', '0.0001', '1e-05', '1e+16', '1.5e+16', '-2.5', '0.0', '123456.789']);
  });
});
