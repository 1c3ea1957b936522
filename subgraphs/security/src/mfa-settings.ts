// Settings of two-factor sign-in, apart from mfa.ts so that config.ts loads no TOTP library.

export interface MfaSettings {
  /** How long the challenge of a login that awaits its second factor lasts. */
  challengeTtlSeconds: number;
  /** The issuer an authenticator app shows next to the account (otpauth URI). */
  issuer: string;
}

export const MFA_DEFAULTS: MfaSettings = {
  challengeTtlSeconds: 300,
  issuer: 'AI Supergraph',
};
