// Provider API keys at rest: sealed with AES-256-GCM (Node's crypto) under a key from
// PROVIDER_SECRET_KEY. Without it, development and tests use a key kept in the data
// directory (or in memory for an in-memory database); production refuses to start.
// Envelope encryption with versioned keys from the security subgraph is later work.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== KEY_BYTES) throw new Error(`The secret key must be ${KEY_BYTES} bytes.`);
  return {
    seal(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    open(sealed) {
      const [version, payload] = sealed.split(':');
      if (version !== VERSION || !payload)
        throw new Error('The stored API key is not sealed by this service.');
      const raw = Buffer.from(payload, 'base64');
      const decipher = createDecipheriv(ALGORITHM, key, raw.subarray(0, IV_BYTES));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([
        decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    },
  };
}

/** The configured key; else, outside production, one kept beside the embedded database. */
export function secretKey(
  configured: string | undefined,
  env: string,
  dataDir: string | undefined,
): Buffer {
  if (configured) return Buffer.from(configured, 'base64');
  if (env === 'production') {
    throw new Error('PROVIDER_SECRET_KEY must be set in production (32 random bytes, base64).');
  }
  if (!dataDir || dataDir.startsWith('memory://')) return randomBytes(KEY_BYTES);
  const file = `${dataDir}/secret.key`;
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(KEY_BYTES).toString('base64'), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
}
