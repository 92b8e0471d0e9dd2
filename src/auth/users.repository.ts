import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull, SelectQueryBuilder } from 'typeorm';
import { TenantRepository } from '../database/tenant.repository';
import { ApiKey } from './api-key.entity';
import { User } from './user.entity';

/** The SQL of users and API keys, always within one tenant; writes run in the caller's transaction (`em`). */
@Injectable()
export class UsersRepository extends TenantRepository<User> {
  /** The tenant's API keys' lookups (their 404 says `API key 3 was not found.`). */
  readonly keys: TenantRepository<ApiKey>;

  constructor(ds: DataSource) {
    super(ds, User, 'User');
    this.keys = new TenantRepository(ds, ApiKey, 'API key');
  }

  findByEmail(em: EntityManager, tenantId: number, email: string): Promise<User | null> {
    return em.getRepository(User).findOneBy({ tenantId, email });
  }

  saveUser(em: EntityManager, user: User): Promise<User> {
    return em.getRepository(User).save(user);
  }

  /** The tenant's users, for the collection filters and paging (alias `u`). */
  usersQuery(tenantId: number): SelectQueryBuilder<User> {
    return this.ds.getRepository(User).createQueryBuilder('u').where('u.tenantId = :t', { t: tenantId });
  }

  /** The tenant's keys with their user (alias `k`; the order is API_KEY_SPEC's). */
  keysQuery(tenantId: number): SelectQueryBuilder<ApiKey> {
    return this.ds.getRepository(ApiKey).createQueryBuilder('k').leftJoinAndSelect('k.user', 'user').where('k.tenantId = :t', { t: tenantId });
  }

  /** Revokes the key unless it already is; how many rows changed. */
  async revokeKey(em: EntityManager, tenantId: number, id: number): Promise<number> {
    const n = await em.getRepository(ApiKey).update({ id, tenantId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return n.affected ?? 0;
  }
}
