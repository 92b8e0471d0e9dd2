import { createHash, randomBytes } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { ValidationFailed, violation } from '../common/errors';
import { slugProblem } from '../tenants/slug';
import { Tenant } from '../tenants/tenant.entity';
import { ApiKey } from './api-key.entity';
import { Role, User } from './user.entity';

/** A new key: `tik_` + 32 random bytes (base64url). Only the SHA-256 hash is ever stored. */
export function generateKey(): string {
  return `tik_${randomBytes(32).toString('base64url')}`;
}

/** Keys carry 256 bits of entropy, so a fast hash is the right tool (no KDF needed). */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export async function createApiKey(em: EntityManager, user: User, name: string): Promise<{ key: string; record: ApiKey }> {
  const key = generateKey();
  const record = await em.getRepository(ApiKey).save(
    em.getRepository(ApiKey).create({
      tenantId: user.tenantId,
      userId: user.id,
      name,
      prefix: key.slice(0, 12),
      keyHash: hashKey(key),
      createdAt: new Date(),
      lastUsedAt: null,
      revokedAt: null,
    }),
  );
  return { key, record };
}

/** Creates a tenant; its slug becomes the customer programme's path (`/api/{slug}/...`), so reserved or malformed slugs are refused. */
export async function createTenant(em: EntityManager, name: string, slug: string): Promise<Tenant> {
  const problem = slugProblem(slug);
  if (problem) throw new ValidationFailed([violation('slug', problem, 'invalid_format')]);
  return em.getRepository(Tenant).save(em.getRepository(Tenant).create({ name, slug, createdAt: new Date() }));
}

export async function createUser(em: EntityManager, tenantId: number, email: string, name: string, role: Role): Promise<User> {
  const now = new Date();
  return em.getRepository(User).save(em.getRepository(User).create({ tenantId, email, name, role, createdAt: now, updatedAt: now, disabledAt: null }));
}

/**
 * First start on an empty database: one tenant, one admin user and one API key.
 * Returns the plaintext key (to be printed once) or null when the database already has tenants.
 */
export async function bootstrapIfEmpty(em: EntityManager): Promise<{ key: string; tenant: Tenant; user: User } | null> {
  if ((await em.getRepository(Tenant).count()) > 0) return null;
  const tenant = await createTenant(em, 'Default dealer group', 'default');
  const user = await createUser(em, tenant.id, 'admin@example.com', 'Administrator', 'admin');
  const { key } = await createApiKey(em, user, 'bootstrap admin key');
  return { key, tenant, user };
}
