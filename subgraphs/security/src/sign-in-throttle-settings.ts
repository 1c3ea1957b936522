// Settings of the sign-in throttle, apart from sign-in-throttle.ts so that config.ts loads
// only them.

export interface SignInThrottleSettings {
  /** Failed attempts per account within the window before it is locked. */
  accountFailures: number;
  /** Failed attempts per client address (across accounts) within the window. */
  ipFailures: number;
  /** The window in which failures add up; a key quiet this long starts afresh. */
  windowSeconds: number;
  /** The first lock's length; each further one doubles it. */
  lockSeconds: number;
  /** The longest lock. */
  maxLockSeconds: number;
}

export const SIGN_IN_THROTTLE_DEFAULTS: SignInThrottleSettings = {
  accountFailures: 5,
  ipFailures: 50,
  windowSeconds: 900,
  lockSeconds: 30,
  maxLockSeconds: 900,
};
