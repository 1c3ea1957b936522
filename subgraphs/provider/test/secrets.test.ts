// Provider API keys at rest: sealed, authenticated, and never without a key in production.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecretBox, secretKey } from '../src/secrets.js';

describe('secret box', () => {
  const box = createSecretBox(randomBytes(32));

  it('seals so that the key does not show, and opens it again', () => {
    const sealed = box.seal('sk-live-123456');
    expect(sealed).not.toContain('sk-live');
    expect(sealed).not.toBe(box.seal('sk-live-123456'));
    expect(box.open(sealed)).toBe('sk-live-123456');
  });

  it('refuses a tampered value and one sealed under another key', () => {
    const sealed = box.seal('sk-live-123456');
    const bytes = Buffer.from(sealed.slice(3), 'base64');
    bytes[bytes.length - 1]! ^= 1;
    expect(() => box.open(`v1:${bytes.toString('base64')}`)).toThrow();
    expect(() => createSecretBox(randomBytes(32)).open(sealed)).toThrow();
    expect(() => box.open('sk-plaintext')).toThrow(/not sealed/);
  });

  it('needs a configured key in production, and keeps a generated one outside it', () => {
    expect(() => secretKey(undefined, 'production', '.data/provider')).toThrow(
      /PROVIDER_SECRET_KEY/,
    );
    const configured = randomBytes(32).toString('base64');
    expect(secretKey(configured, 'production', undefined).toString('base64')).toBe(configured);
    const dir = mkdtempSync(join(tmpdir(), 'provider-secret-'));
    try {
      const first = secretKey(undefined, 'development', dir);
      expect(secretKey(undefined, 'development', dir).equals(first)).toBe(true);
      expect(readFileSync(join(dir, 'secret.key'), 'utf8')).toBe(first.toString('base64'));
      expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
