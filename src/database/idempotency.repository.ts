import { Injectable } from '@nestjs/common';
import { EntityManager, LessThan } from 'typeorm';
import { IdempotencyRecord } from './idempotency.entity';

/** The SQL of the Idempotency-Key records; every call runs in the caller's transaction (`em`). */
@Injectable()
export class IdempotencyRepository {
  async purgeBefore(em: EntityManager, before: Date): Promise<number> {
    return (await em.getRepository(IdempotencyRecord).delete({ createdAt: LessThan(before) })).affected ?? 0;
  }

  /** Claims the key (a duplicate-key error when another request holds it). */
  async claim(em: EntityManager, record: Pick<IdempotencyRecord, 'tenantId' | 'idemKey' | 'requestPath' | 'requestHash' | 'createdAt'>): Promise<void> {
    await em.getRepository(IdempotencyRecord).insert(record);
  }

  async complete(em: EntityManager, tenantId: number, idemKey: string, done: { statusCode: number; location: string; responseBody: string }): Promise<void> {
    await em.getRepository(IdempotencyRecord).update({ tenantId, idemKey }, done);
  }

  find(em: EntityManager, tenantId: number, idemKey: string): Promise<IdempotencyRecord | null> {
    return em.getRepository(IdempotencyRecord).findOneBy({ tenantId, idemKey });
  }
}
