import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { DomainError } from '../../domain/shared/domain-error.js';
import { ApplicationErrors } from '../../application/shared/application.errors.js';

/**
 * One personal value encrypted under its subject's data key, as a string in place of the value:
 * `pd1.<subject>.<nonce>.<ciphertext and tag>` (base64url), AES-256-GCM over the value's JSON with a
 * 96-bit nonce and the context (where the value lives: an event id and field path, or a document)
 * as associated data, so a ciphertext moved to another field or event does not open.
 */
const PREFIX = 'pd1.';

export const isEnvelope = (value: unknown): value is string => typeof value === 'string' && value.startsWith(PREFIX);

/** The subject an envelope was sealed for (null when the string is not a well-formed envelope). */
export function envelopeSubject(envelope: string): string | null {
  const parts = partsOf(envelope);
  return parts && envelope.slice(PREFIX.length, parts.nonceAt - 1);
}

/**
 * Where an envelope's nonce and body begin (null when it is not `pd1.<subject>.<nonce>.<body>` with a
 * non-empty subject): found by scanning once, without splitting the string into copies.
 */
function partsOf(envelope: string): { nonceAt: number; bodyAt: number } | null {
  if (!envelope.startsWith(PREFIX)) return null;
  const subjectEnd = envelope.indexOf('.', PREFIX.length);
  if (subjectEnd <= PREFIX.length) return null;
  const nonceEnd = envelope.indexOf('.', subjectEnd + 1);
  if (nonceEnd < 0 || envelope.indexOf('.', nonceEnd + 1) >= 0) return null;
  return { nonceAt: subjectEnd + 1, bodyAt: nonceEnd + 1 };
}

/**
 * Seals `value`. The nonce is random, unless `deterministic`: then it is an HMAC of the context and
 * the value under the key (a synthetic IV), so the same value in the same place seals the same way (a
 * read model rebuilt from zero is identical to the live one), and a nonce repeats only with its value.
 */
export function seal(key: Buffer, subject: string, context: string, value: unknown, deterministic = false): string {
  if (subject.includes('.')) throw new Error(`A data subject has no dots: ${subject}`);
  const plain = Buffer.from(JSON.stringify(value), 'utf8');
  const nonce = deterministic
    ? createHmac('sha256', key)
        .update('rentlog-siv\0')
        .update(context)
        .update('\0')
        .update(plain)
        .digest()
        .subarray(0, 12)
    : randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return `${PREFIX}${subject}.${nonce.toString('base64url')}.${body.toString('base64url')}`;
}

/**
 * Opens an envelope; a changed bit anywhere (or the wrong place) fails authentication: PersonalDataUnreadableError.
 * One decipher, its output parsed as it comes (no copy of the body, the tag checked by `final`).
 */
export function open(key: Buffer, context: string, envelope: string): unknown {
  try {
    const parts = partsOf(envelope);
    if (!parts) throw new Error('malformed');
    const nonce = Buffer.from(envelope.slice(parts.nonceAt, parts.bodyAt - 1), 'base64url');
    const body = Buffer.from(envelope.slice(parts.bodyAt), 'base64url');
    if (nonce.length !== 12 || body.length < 16) throw new Error('malformed');
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(body.subarray(body.length - 16));
    const plain = decipher.update(body.subarray(0, body.length - 16));
    decipher.final(); // throws unless the tag authenticates (GCM gives no output here)
    return JSON.parse(plain.toString('utf8')) as unknown;
  } catch {
    throw new PersonalDataUnreadableError(context);
  }
}

/** Encrypted personal data that does not authenticate: changed on disk, or moved. Never says what it held. */
export class PersonalDataUnreadableError extends DomainError {
  constructor(readonly where: string) {
    super(ApplicationErrors.personalDataUnreadable, 'Stored personal data failed its integrity check');
    this.name = 'PersonalDataUnreadableError';
  }
}

/**
 * The values at a path (dotted, `[]` for every element of an array) with their concrete paths
 * (`damages[1].description`); `replace` gives each a new value, in a copy (the input is not changed).
 */
export function mapPath(root: unknown, path: string, replace: (value: unknown, at: string) => unknown): unknown {
  const steps = path.split('.');
  const walk = (node: unknown, i: number, at: string): unknown => {
    if (node === null || typeof node !== 'object') return node;
    const step = steps[i];
    const isArray = step.endsWith('[]');
    const name = isArray ? step.slice(0, -2) : step;
    const record = node as Record<string, unknown>;
    if (!(name in record) || record[name] === undefined) return node;
    const here = at === '' ? name : `${at}.${name}`;
    const last = i === steps.length - 1;
    let next: unknown;
    if (isArray) {
      const list = record[name];
      if (!Array.isArray(list)) return node;
      next = list.map((el, n) => (last ? replace(el, `${here}[${n}]`) : walk(el, i + 1, `${here}[${n}]`)));
    } else next = last ? replace(record[name], here) : walk(record[name], i + 1, here);
    return { ...record, [name]: next };
  };
  return walk(root, 0, '');
}

/**
 * Calls `visit` with each value at a path (as mapPath finds them) and its concrete path, copying
 * nothing: for reading what is there (which fields hold values, which are sealed).
 */
export function visitPath(root: unknown, path: string, visit: (value: unknown, at: string) => void): void {
  const steps = path.split('.');
  const walk = (node: unknown, i: number, at: string): void => {
    if (node === null || typeof node !== 'object') return;
    const step = steps[i];
    const isArray = step.endsWith('[]');
    const name = isArray ? step.slice(0, -2) : step;
    const value = (node as Record<string, unknown>)[name];
    if (value === undefined || !Object.prototype.hasOwnProperty.call(node, name)) return;
    const here = at === '' ? name : `${at}.${name}`;
    const last = i === steps.length - 1;
    if (!isArray) return last ? visit(value, here) : walk(value, i + 1, here);
    if (!Array.isArray(value)) return;
    value.forEach((el, n) => (last ? visit(el, `${here}[${n}]`) : walk(el, i + 1, `${here}[${n}]`)));
  };
  walk(root, 0, '');
}
