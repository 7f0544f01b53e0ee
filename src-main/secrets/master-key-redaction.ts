import { readFileSync, statSync } from 'node:fs';
import { decodeKey, keyFilePath, SECRET_KEY_ENV } from './cipher';

/** A key file is 45 bytes; anything far bigger is not one, and is not read into every run. */
const MAX_KEY_FILE_BYTES = 4096;

/**
 * The ways a step could print a 32-byte key: base64 with or without padding, url-safe, hex, and
 * the raw bytes as the log shows them (output is decoded as UTF-8, a bad byte as U+FFFD).
 */
function keyForms(key: Buffer): string[] {
  const b64 = key.toString('base64');
  const url = key.toString('base64url');
  const hex = key.toString('hex');
  return [b64, b64.replace(/=+$/, ''), url, hex, hex.toUpperCase(), new TextDecoder().decode(key)];
}

function keyFileText(path: string): string | undefined {
  try {
    if (statSync(path).size > MAX_KEY_FILE_BYTES) return undefined;
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The strings to redact for the master key that encrypts every stored credential: the text of
 * `FLOWDECK_SECRET_KEY` as given and the content of the key file beside the database (both, when
 * both exist: the file may hold an older key), each also in the other forms of its 32 bytes.
 * Nothing is created or checked here; a key that is missing or damaged has nothing to hide.
 */
export function masterKeyRedactionStrings(dbPath: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const out = new Set<string>();
  for (const text of [env[SECRET_KEY_ENV], keyFileText(keyFilePath(dbPath))]) {
    const given = text?.trim();
    if (!given) continue;
    out.add(given);
    const key = decodeKey(given);
    if (key) for (const form of keyForms(key)) out.add(form);
  }
  return [...out];
}
