import { createHash, randomBytes } from 'node:crypto';

/**
 * API keys as clients hold them: `rlk_<apiKeyId>.<secret>`, the secret 32 random bytes in base64url.
 * The id lets a call find its key with one lookup; only the sha256 of the secret is kept, and it is
 * compared in constant time. The `rlk_` prefix lets secret scanners recognise a leaked key.
 */
const API_KEY_PATTERN = /^rlk_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export function mintApiKey(apiKeyId: string): { key: string; secretHash: string } {
  const secret = randomBytes(32).toString('base64url');
  return { key: `rlk_${apiKeyId}.${secret}`, secretHash: hashSecret(secret) };
}

/** The key's id and the sha256 of its secret, or null when it is not shaped like a key. */
export function parseApiKey(key: string): { apiKeyId: string; secretHash: string } | null {
  const match = API_KEY_PATTERN.exec(key);
  return match ? { apiKeyId: match[1], secretHash: hashSecret(match[2]) } : null;
}
