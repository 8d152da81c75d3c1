import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookCheck } from '../../application/ports/payment-gateway.port.js';

/**
 * Webhook signatures: `Rentlog-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
 * The timestamp is signed with the body, so an old delivery cannot be replayed with a fresh `t`.
 */
export const SIGNATURE_HEADER = 'rentlog-signature';
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const HEADER_PATTERN = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/;

function hmac(secret: string, timestamp: number, rawBody: Buffer | string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}

export function signWebhook(secret: string, rawBody: Buffer | string, timestamp: number): string {
  return `t=${timestamp},v1=${hmac(secret, timestamp, rawBody).toString('hex')}`;
}

/** Verifies a signature header against the raw body, at `nowSeconds` (from the clock port), with a 300 s tolerance either way. */
export function verifyWebhookSignature(
  secret: string,
  rawBody: Buffer | string,
  header: string | undefined,
  nowSeconds: number,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): WebhookCheck {
  if (header === undefined || header === '') return { ok: false, reason: 'missing' };
  const match = HEADER_PATTERN.exec(header.trim());
  if (!match) return { ok: false, reason: 'malformed' };
  const timestamp = Number(match[1]);
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return { ok: false, reason: 'stale' };
  const expected = hmac(secret, timestamp, rawBody);
  const given = Buffer.from(match[2], 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? { ok: true }
    : { ok: false, reason: 'mismatch' };
}
