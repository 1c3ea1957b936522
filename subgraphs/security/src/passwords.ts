// Password hashing with argon2id (@node-rs/argon2, its defaults follow OWASP guidance).
import { hash, verify } from '@node-rs/argon2';

export const hashPassword = (password: string): Promise<string> => hash(password);

/** A hash of a random password, verified against when the email is unknown so that timing
 * does not tell which emails have accounts. */
let decoy: Promise<string> | undefined;

export async function verifyPassword(
  stored: string | undefined,
  password: string,
): Promise<boolean> {
  decoy ??= hash(crypto.randomUUID());
  const target = stored ?? (await decoy);
  const ok = await verify(target, password).catch(() => false);
  return ok && stored !== undefined;
}
