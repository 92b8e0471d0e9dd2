import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull, MoreThan } from 'typeorm';
import { Tenant } from '../tenants/tenant.entity';
import { StaffSession } from './staff-session.entity';
import { User } from './user.entity';

/** Every query of staff sign-in: users with their password hash, tenants by slug, sessions by token hash. */
@Injectable()
export class StaffSessionsRepository {
  constructor(private readonly ds: DataSource) {}

  tenantBySlug(slug: string): Promise<Tenant | null> {
    return this.ds.getRepository(Tenant).findOneBy({ slug });
  }

  /** The user with its password hash (a column that is otherwise never selected). */
  userWithPassword(tenantId: number, email: string): Promise<User | null> {
    return this.ds.getRepository(User).createQueryBuilder('u').addSelect('u.passwordHash').where('u.tenantId = :tenantId AND u.email = :email', { tenantId, email }).getOne();
  }

  userInTenant(em: EntityManager, tenantId: number, id: number): Promise<User | null> {
    return em.getRepository(User).findOneBy({ tenantId, id });
  }

  setPassword(em: EntityManager, userId: number, passwordHash: string | null): Promise<unknown> {
    return em.getRepository(User).update({ id: userId }, { passwordHash, updatedAt: new Date() });
  }

  /** Ends every session of a user (new password, disabled, demoted): the next request with them is 401. */
  revokeAll(em: EntityManager, userId: number): Promise<unknown> {
    return em.getRepository(StaffSession).update({ userId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  insert(session: Omit<StaffSession, 'id' | 'user'>): Promise<unknown> {
    return this.ds.getRepository(StaffSession).insert(session);
  }

  /** A live session (not revoked, not expired) with its user, by the hash of its token: one index seek. */
  live(tokenHash: string): Promise<StaffSession | null> {
    return this.ds.getRepository(StaffSession).findOne({ where: { tokenHash, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) }, relations: { user: true } });
  }

  revokeByHash(tokenHash: string): Promise<unknown> {
    return this.ds.getRepository(StaffSession).update({ tokenHash, revokedAt: IsNull() }, { revokedAt: new Date() });
  }
}
