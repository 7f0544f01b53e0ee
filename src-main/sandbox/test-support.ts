import { FlowdeckError } from '../../src-shared/errors';

/** The FlowdeckError `run` throws; anything else thrown, or nothing, fails the test. */
export function failure(run: () => unknown): FlowdeckError {
  try {
    run();
  } catch (error) {
    if (error instanceof FlowdeckError) return error;
    throw error;
  }
  throw new Error('expected a FlowdeckError');
}
