// Recovery codes: 12 characters of an unambiguous 32-letter alphabet (60 random bits), shown
// once as XXXX-XXXX-XXXX and stored as SHA-256 of the user id and the code. 60 bits make an
// offline search of a leaked hash hopeless, so a slow hash (argon2) buys nothing here.
import { randomBytes } from 'node:crypto';
import { hashToken } from './db/sessions.js';

export const RECOVERY_CODE_COUNT = 10;
/** No 0/O, 1/I: a code is read off paper. 32 letters, so a byte's low 5 bits pick one evenly. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 12;
const GROUP = 4;
const CODE = new RegExp(`^[${ALPHABET}]{${CODE_LENGTH}}$`);

function newRecoveryCode(): string {
  const letters = [...randomBytes(CODE_LENGTH)].map((byte) => ALPHABET[byte % ALPHABET.length]);
  const groups: string[] = [];
  for (let i = 0; i < CODE_LENGTH; i += GROUP) groups.push(letters.slice(i, i + GROUP).join(''));
  return groups.join('-');
}

export const newRecoveryCodes = (count = RECOVERY_CODE_COUNT): string[] =>
  Array.from({ length: count }, newRecoveryCode);

/** The code as stored: case, spaces and dashes do not matter; undefined when it is none. */
export function normalizeRecoveryCode(code: string): string | undefined {
  const normalized = code.toUpperCase().replace(/[\s-]+/g, '');
  return CODE.test(normalized) ? normalized : undefined;
}

/** Salted with the user id, so that one table of hashes never serves two accounts. */
export const hashRecoveryCode = (userId: string, normalized: string): string =>
  hashToken(`${userId}:${normalized}`);
