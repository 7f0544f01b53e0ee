import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Marks a Flowdeck trigger token, so secret scanners and people can tell what leaked. */
const TOKEN_PREFIX = 'fdt_';

/** A new trigger token: 32 random bytes, base64url, after a recognisable prefix. */
export function newTriggerToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** A trigger's id: 8 random bytes in hex, so one trigger's URL says nothing about another's. */
export function newTriggerId(): string {
  return randomBytes(8).toString('hex');
}

/** What is stored instead of the token. */
export function tokenSha256(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Compares in constant time: the given token is hashed first, so its length leaks nothing either. */
export function tokenMatchesHash(stored: Buffer, given: string | undefined): boolean {
  if (given === undefined || given === '' || stored.length !== 32) return false;
  return timingSafeEqual(stored, tokenSha256(given));
}
