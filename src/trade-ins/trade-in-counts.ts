import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, EntityManager, EntitySubscriberInterface, InsertEvent, QueryRunner, RemoveEvent, TransactionCommitEvent, TransactionRollbackEvent, UpdateEvent } from 'typeorm';
import { CountCache } from '../common/count-cache';
import { boundedCount } from '../database/pages';
import { INVALIDATION_BUS, InvalidationBus, LocalInvalidationBus } from '../common/invalidation';
import { AppConfig, APP_CONFIG } from '../config';
import { storedRows } from '../platform/raw-queries';
import { readBudget } from '../database/tx.service';
import { TradeIn } from './trade-in.entity';
import { subscribe } from '../platform/typeorm-subscribers';

const TOUCHED = 'tradeInsTouched';
/** The invalidation topic of trade-in totals: published after each committed write, heard by every instance. */
export const TRADE_IN_COUNTS_CHANGED = 'trade-in-counts';

/**
 * Totals of trade-in collections, cached briefly (COUNT_CACHE_SECONDS, see CountCache).
 *
 * A TypeORM subscriber drops the cache whenever trade_ins rows are inserted, updated or deleted
 * through this process (repository and query-builder writes alike, and insertRow, which broadcasts afterInsert) — once when the statement
 * runs and again when its transaction commits, so a count computed between the two cannot
 * survive the commit. The commit's invalidation goes through the InvalidationBus, which also tells
 * the other instances (REDIS_URL).
 */
@Injectable()
export class TradeInCounts implements EntitySubscriberInterface<TradeIn> {
  private readonly cache: CountCache;

  constructor(
    private readonly ds: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    @Optional() @Inject(INVALIDATION_BUS) private readonly bus: InvalidationBus = new LocalInvalidationBus(),
  ) {
    this.cache = new CountCache(config.countCacheSeconds * 1000);
    subscribe(ds, this);
    bus.subscribe(TRADE_IN_COUNTS_CHANGED, () => this.cache.invalidate());
  }

  /**
   * The total of a `SELECT COUNT(1) AS cnt` query, keyed by its SQL and parameters (which include
   * the tenant); null when it cannot be counted within the statement budget (see CountCache).
   */
  count(sql: string, params: unknown[]): Promise<number | null> {
    return this.cache.get(`${sql}\u0000${JSON.stringify(params)}`, () =>
      boundedCount(this.ds, readBudget(this.ds).statementMs, async (ms) => Number((await storedRows(this.ds.manager, sql, params, ms))[0].cnt)),
    );
  }

  /** For a write TypeORM does not broadcast (raw SQL): the same invalidation. insertRow broadcasts afterInsert itself. */
  changed(em: EntityManager) {
    this.touched(em.queryRunner);
  }

  listenTo() {
    return TradeIn;
  }

  private touched(queryRunner: QueryRunner | undefined) {
    this.cache.invalidate();
    if (queryRunner?.isTransactionActive) queryRunner.data[TOUCHED] = true;
  }

  afterInsert(e: InsertEvent<TradeIn>) {
    this.touched(e.queryRunner);
  }

  afterUpdate(e: UpdateEvent<TradeIn>) {
    this.touched(e.queryRunner);
  }

  afterRemove(e: RemoveEvent<TradeIn>) {
    this.touched(e.queryRunner);
  }

  /** TypeORM awaits the returned promise before the commit resolves, so the other instances are told before the write answers. */
  afterTransactionCommit(e: TransactionCommitEvent) {
    if (!e.queryRunner.data?.[TOUCHED]) return;
    delete e.queryRunner.data[TOUCHED];
    return this.bus.publish(TRADE_IN_COUNTS_CHANGED);
  }

  afterTransactionRollback(e: TransactionRollbackEvent) {
    if (e.queryRunner.data) delete e.queryRunner.data[TOUCHED];
  }
}
