import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Signing secrets. HMAC needs the secret itself at signing time, so it cannot be stored as a
 * one-way hash (as API keys are). It is shown once, at creation or rotation; at rest it is
 * encrypted with AES-256-GCM under WEBHOOK_SECRET_KEY when that is set (the key never touches the
 * database, so a database dump alone does not reveal secrets), else stored as generated (`plain:`),
 * which README "Webhooks" names as the weaker choice.
 */
export function generateSecret(): string {
  // The Standard Webhooks format: whsec_ + base64 of 24 random bytes.
  return `whsec_${randomBytes(24).toString('base64')}`;
}

const keyOf = (key: string) => createHash('sha256').update(key).digest();

export function sealSecret(secret: string, key: string | undefined): string {
  if (!key) return `plain:${secret}`;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(key), iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return `v1:${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${sealed.toString('base64')}`;
}

export function openSecret(stored: string, key: string | undefined): string {
  if (stored.startsWith('plain:')) return stored.slice(6);
  const [version, iv, tag, sealed] = stored.split(':');
  if (version !== 'v1' || !key) throw new Error('A webhook secret is encrypted but WEBHOOK_SECRET_KEY is not set (or is another key).');
  const decipher = createDecipheriv('aes-256-gcm', keyOf(key), Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64')), decipher.final()]).toString('utf8');
}
