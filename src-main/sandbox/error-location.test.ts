import { describe, expect, it } from 'vitest';
import { positionFromStack, refineRuntimePosition, refineSyntaxPosition, type SyntaxProbe, type WrappedSource } from './error-location';

function source(text: string): WrappedSource {
  return { text, file: 'user', linesBefore: 1 };
}

describe('positionFromStack', () => {
  it('takes the innermost frame in the operator file and removes the wrapper line', () => {
    const stack = '    at key (flowdeck-helpers:3:10)\n    at <anonymous> (user:4:7)\n    at <eval> (user:9:1)\n';
    expect(positionFromStack(stack, source('one\ntwo\nthree = x.y\nfour'))).toEqual({ line: 3, column: 7 });
  });

  it('reads the frame form of a SyntaxError', () => {
    expect(positionFromStack('    at user:2:5\n', source('abcdef'))).toEqual({ line: 1, column: 5 });
  });

  it('converts UTF-8 byte columns to UTF-16 columns', () => {
    // "é" is 2 bytes and 1 unit, "😀" 4 bytes and 2 units: "x" is at byte column 8, unit column 5.
    expect(positionFromStack('    at <eval> (user:2:8)\n', source('é😀 x'))).toEqual({ line: 1, column: 5 });
  });

  it('maps a position in the wrapper after the text to the end of the text', () => {
    expect(positionFromStack('    at user:5:1\n', source('one\ntwo'))).toEqual({ line: 2, column: 4, atEnd: true });
  });

  it('ignores frames from other files', () => {
    expect(positionFromStack('    at f (other:1:1)\n', source('x'))).toBeUndefined();
  });
});

describe('refineRuntimePosition', () => {
  const text = 'const a = 1;\nconst b = x.foo.bar;\nconst c = a.baz;';

  it('moves to the one access of the named property after the recorded position', () => {
    expect(refineRuntimePosition(source(text), "cannot read property 'bar' of undefined", { line: 1, column: 1 })).toEqual({ line: 2, column: 17 });
  });

  it('finds bracket access and undefined variables', () => {
    expect(refineRuntimePosition(source("a;\nx['bar']"), "cannot read property 'bar' of null", { line: 1, column: 1 })).toEqual({ line: 2, column: 4 });
    expect(refineRuntimePosition(source('a.x;\nx + 1'), 'x is not defined', { line: 1, column: 1 })).toEqual({ line: 2, column: 1 });
  });

  it('keeps the recorded position when the name is ambiguous or absent', () => {
    const reported = { line: 1, column: 1 };
    expect(refineRuntimePosition(source('a.bar;\nb.bar'), "cannot read property 'bar' of undefined", reported)).toBe(reported);
    expect(refineRuntimePosition(source('a.b'), 'not a function', reported)).toBe(reported);
  });
});

describe('refineSyntaxPosition', () => {
  it('finds the shortest prefix that fails the same way and the token it ends with', () => {
    const text = 'a;\nfoo(1, 2 34)';
    // A stand-in parser: fails with "Unexpected number" once the prefix holds "2 3".
    const probe: SyntaxProbe = (prefix) =>
      /2 3/.test(prefix) ? { message: 'Unexpected number', position: { line: 2, column: 1 } } : undefined;
    expect(refineSyntaxPosition(source(text), 'Unexpected number', { line: 2, column: 1 }, probe)).toEqual({ line: 2, column: 10 });
  });

  it('starts a named multi-character token at its first character', () => {
    const text = 'x = a  =>  b';
    const probe: SyntaxProbe = (prefix) =>
      prefix.includes('=>') ? { message: "Unexpected token '=>'", position: { line: 1, column: 1 } } : undefined;
    expect(refineSyntaxPosition(source(text), "Unexpected token '=>'", { line: 1, column: 1 }, probe)).toEqual({ line: 1, column: 8 });
  });
});
