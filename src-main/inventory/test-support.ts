// Helpers for this folder's tests: fixture text and "which error, where".
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { FlowdeckError, type ErrorCode, type ErrorLocation } from '../../src-shared/errors';

export function fixture(name: string): string {
  return readFileSync(new URL(`../../test/fixtures/inventory/${name}`, import.meta.url), 'utf8');
}

/** Runs `fn`, expects a FlowdeckError and returns it for closer checks. */
function errorOf(fn: () => unknown): FlowdeckError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FlowdeckError);
    return e as FlowdeckError;
  }
  throw new Error('expected a FlowdeckError, nothing was thrown');
}

export function expectError(fn: () => unknown, code: ErrorCode, location: ErrorLocation, message?: RegExp): FlowdeckError {
  const err = errorOf(fn);
  expect({ code: err.code, location: err.location }, err.message).toEqual({ code, location });
  if (message) expect(err.message).toMatch(message);
  return err;
}
