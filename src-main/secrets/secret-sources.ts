import { readFileSync, statSync } from 'node:fs';
import { FlowdeckError } from '../../src-shared/errors';

/**
 * Where the CLI takes secrets from. Never from a command-line argument: arguments show in `ps`,
 * in shell history and in CI logs. Only from a file, or from an environment variable whose NAME
 * is the argument.
 */

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Private keys are a few KB; anything this big is the wrong file. */
const MAX_KEY_FILE_BYTES = 1024 * 1024;

/**
 * The value of the environment variable named by an option such as `--password-env`.
 * A value that is not a variable name is not echoed back: it may be the secret itself, typed by mistake.
 */
export function secretFromEnv(option: string, name: string, env: NodeJS.ProcessEnv = process.env): string {
  if (!ENV_NAME.test(name)) {
    throw new FlowdeckError(
      'invalid-input',
      `${option} takes the NAME of an environment variable holding the secret (letters, digits and _), not the secret itself`,
    );
  }
  const value = env[name];
  if (value === undefined) throw new FlowdeckError('invalid-input', `${option}: the environment variable ${name} is not set`);
  if (value === '') throw new FlowdeckError('invalid-input', `${option}: the environment variable ${name} is empty`);
  return value;
}

/** A private key file's text. */
export function privateKeyFromFile(path: string): string {
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_KEY_FILE_BYTES) throw new FlowdeckError('invalid-input', `${path} is ${size} bytes: too big for a private key`);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof FlowdeckError) throw e;
    throw new FlowdeckError('not-found', `cannot read the key file ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  if (text.trim() === '') throw new FlowdeckError('invalid-input', `the key file ${path} is empty`);
  return text;
}
