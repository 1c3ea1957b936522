// TOTP (RFC 6238) through otplib 12, the CommonJS line that jest here can load (otplib 13 pulls
// in ESM-only @noble/@scure packages): secrets, otpauth URIs, QR codes, and the time step a
// code belongs to, which the replay check compares.
import { authenticator } from 'otplib';
import { toDataURL } from 'qrcode';

export const TOTP_STEP_SECONDS = 30;
/** Codes of the step before and after the current one pass too: a phone's clock drifts. */
const DRIFT_STEPS = 1;
/** 160 bits, the key size RFC 4226 recommends for HMAC-SHA1. */
const SECRET_BYTES = 20;
const QR_WIDTH_PX = 240;

const TOTP_CODE = /^\d{6}$/;

export const newTotpSecret = (): string => authenticator.generateSecret(SECRET_BYTES);

export const totpUri = (issuer: string, account: string, secret: string): string =>
  authenticator.keyuri(account, issuer, secret);

export const qrCodeDataUrl = (text: string): Promise<string> =>
  toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, width: QR_WIDTH_PX });

/** A code as typed, without the spaces authenticator apps show in its middle. */
export const compactCode = (code: string): string => code.replace(/\s+/g, '');

export const looksLikeTotpCode = (code: string): boolean => TOTP_CODE.test(compactCode(code));

/** The time step (Unix time / 30 s) whose code `code` is, within ±1 step of `now` (epoch ms);
 * null when it is no code of those steps. */
export function totpStepOf(code: string, secret: string, now: number): number | null {
  const compact = compactCode(code);
  if (!TOTP_CODE.test(compact)) return null;
  const delta = authenticator
    .clone({ epoch: now, step: TOTP_STEP_SECONDS, window: DRIFT_STEPS })
    .checkDelta(compact, secret);
  return delta === null ? null : Math.floor(now / 1000 / TOTP_STEP_SECONDS) + delta;
}
