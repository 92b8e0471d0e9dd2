import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { EntityManager } from 'typeorm';
import { TxService } from './tx.service';
import { Principal } from '../common/principal';
import { ApiError, badRequest } from '../common/errors';
import { IdempotencyRepository } from './idempotency.repository';

/** Thrown inside the transaction when another request already holds the key. */
class KeyTaken extends Error {}

const isDuplicate = (e: unknown) => {
  const code = (e as { driverError?: { code?: string }; code?: string }).driverError?.code ?? (e as { code?: string }).code ?? '';
  return code === 'ER_DUP_ENTRY' || code.startsWith('SQLITE_CONSTRAINT');
};

/**
 * `Idempotency-Key` on POST: the first request with a key runs and its result (the created
 * resource) is remembered; a retry with the same key and body gets 201 with the same resource
 * and creates nothing; the same key with another body → 422.
 *
 * The key row is inserted in the same transaction as the resource, so concurrent retries
 * block on the unique index (InnoDB) or the single writer (SQLite) and then replay.
 */
/** Keys are remembered at least this long; older ones are purged hourly. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;

@Injectable()
export class IdempotencyService implements OnModuleInit, OnModuleDestroy {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly tx: TxService,
    private readonly records: IdempotencyRepository,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.purge().catch(() => undefined), 3600_000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Deletes keys older than the TTL; returns how many. */
  async purge(now = Date.now()): Promise<number> {
    return this.tx.run((em) => this.records.purgeBefore(em, new Date(now - IDEMPOTENCY_TTL_MS)));
  }

  async create<T>(req: Request, principal: Principal, work: (em: EntityManager) => Promise<{ id: number; location: string; result: T }>, replay: (id: number) => Promise<T>): Promise<T> {
    const raw = req.headers['idempotency-key'];
    if (raw === undefined) return (await this.tx.run(work)).result;
    const key = String(raw).trim();
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
      throw badRequest('The Idempotency-Key header must be 1–255 visible ASCII characters.');
    }
    const path = req.path.slice(0, 255);
    const hash = createHash('sha256')
      .update(`${req.method} ${path}\n${JSON.stringify(req.body ?? null)}`)
      .digest('hex');
    try {
      return (
        await this.tx.run(async (em) => {
          try {
            await this.records.claim(em, { tenantId: principal.tenantId, idemKey: key, requestPath: path, requestHash: hash, createdAt: new Date() });
          } catch (e) {
            if (isDuplicate(e)) throw new KeyTaken();
            throw e;
          }
          const done = await work(em);
          await this.records.complete(em, principal.tenantId, key, { statusCode: 201, location: done.location, responseBody: String(done.id) });
          return done;
        })
      ).result;
    } catch (e) {
      if (!(e instanceof KeyTaken)) throw e;
    }
    const record = await this.tx.run((em) => this.records.find(em, principal.tenantId, key));
    if (!record || record.statusCode === null || record.responseBody === null) {
      throw new ApiError(409, 'A request with this Idempotency-Key is still being processed. Retry in a moment.');
    }
    if (record.requestHash !== hash) {
      throw new ApiError(422, 'This Idempotency-Key was already used with a different request. Use a new key for a new request.');
    }
    return replay(Number(record.responseBody));
  }
}
