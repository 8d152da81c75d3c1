import type { LockoutPolicy } from '../../domain/identity/sign-in.commands.js';

export const SETTINGS = Symbol('Settings');

/** Business settings the application needs (the composition root fills them from configuration). */
export interface Settings {
  /** ISO 4217 code of the one currency this deployment works in. */
  currency: string;
  /** How long a query waits for `X-Min-Position` before answering 503. */
  readWaitTimeoutMs: number;
  /** How long a refresh token lives (each rotation issues a new one with this lifetime). */
  refreshTokenTtlSeconds: number;
  /** A session ends this long after sign-in, however often it is refreshed. */
  sessionMaxAgeSeconds: number;
  /** A refresh retried with the same token within this gets the same successor (a lost answer). */
  refreshGraceSeconds: number;
  /** Failed password sign-ins: when an email locks, and how many failures one client address may make per window. */
  signIn: { lockout: LockoutPolicy; addressFailures: number; addressWindowSeconds: number };
  /** Where a mailed reset link leads (the token follows in the fragment), and for how long it works. */
  passwordReset: { url: string; ttlSeconds: number };
  /** How long a sign-in started at an OpenID provider may take to come back (its state, nonce and PKCE verifier). */
  oidcStateTtlSeconds: number;
  /** IANA time zone whose local days the reports and the dashboard count in (`SHOP_TIMEZONE`). */
  shopTimeZone: string;
  /** When the shop opens, `HH:MM` in `shopTimeZone` (`SHOP_OPENS_AT`): the daily overdue scan runs then. */
  shopOpensAt?: string;
  /** Mail: the language for recipients who chose none, and how long before a hold runs out its customer is told (0: never). */
  notifications?: { defaultLanguage: 'en' | 'de'; holdNoticeSeconds: number };
  /** How long an order's units stay held before it must be confirmed. */
  holdTtlSeconds: number;
  /**
   * Abuse limits on self-service orders: a customer acting for itself holds at most this many orders
   * and units at once (orders reserved and not yet confirmed), and rents for at most this many days.
   * Staff and admins placing orders for customers are exempt.
   */
  customerLimits: { maxActiveHolds: number; maxHeldUnits: number; maxRentalDays: number };

  cancellation: { freeHours: number; feePercent: number };
  lateReturn: { feePercent: number; graceDays: number };
  /** Customers with no order for this many days are erased (null: never). */
  retentionEraseAfterDays: number | null;
  /** How often the worker records a signed checkpoint of the hash chains, and verifies the whole log. */
  /** `checkpointEverySeconds` null (AUDIT_CHECKPOINT_INTERVAL_SECONDS=0): no automatic checkpoints (on demand only). */
  audit?: { checkpointEverySeconds: number | null; verifyEverySeconds: number };
  /** A payment pending longer than this is asked of the provider again (reconciliation). */
  payments: { pendingTimeoutSeconds: number };
  /** Finished (`done`) jobs are forgotten after this many days (JOBS_KEEP_DONE_DAYS); dead ones stay until retried. */
  jobsKeepDoneDays?: number;
}
