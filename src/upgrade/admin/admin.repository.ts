import { Injectable } from '@nestjs/common';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { TxService } from '../../database/tx.service';
import type { TradeInStatus } from '../../trade-ins/trade-in.entity';
import { ProgramAccount } from '../accounts/account.entity';
import { TradeInProgram } from '../submissions/trade-in-program.entity';

type Row = Record<string, unknown>;

/** A time range of the statistics, as UTC DATETIME text (what both drivers compare a timestamp column with); from inclusive, to exclusive. */
export interface StatsRange {
  from: string | null;
  to: string | null;
}

/** `AND column >= ? AND column < ?` for the bounds that are set, and their parameters. */
function within(column: string, range: StatsRange): [string, unknown[]] {
  let sql = '';
  const params: unknown[] = [];
  if (range.from) {
    sql += ` AND ${column} >= ?`;
    params.push(range.from);
  }
  if (range.to) {
    sql += ` AND ${column} < ?`;
    params.push(range.to);
  }
  return [sql, params];
}

/** The SQL of the programme dashboard: customers with their submission counts, and the statistics. */
@Injectable()
export class AdminRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly tx: TxService,
  ) {}

  private q(sql: string, params: unknown[]): Promise<Row[]> {
    return this.ds.query<Row[]>(sql, params);
  }

  /** The tenant's programme accounts with their customer record (alias `a`, the customer `c`), for the collection (PROGRAM_CUSTOMER_SPEC orders it). */
  customersQuery(tenantId: number): SelectQueryBuilder<ProgramAccount> {
    return this.accounts(tenantId).innerJoinAndSelect('a.customer', 'c');
  }

  /** The number of submissions of each of these accounts (one query for a page; an account without any is absent). */
  async submissionCounts(tenantId: number, accountIds: number[]): Promise<Map<number, number>> {
    if (!accountIds.length) return new Map();
    const rows = await this.ds
      .getRepository(TradeInProgram)
      .createQueryBuilder('p')
      .select('p.accountId', 'account_id')
      .addSelect('COUNT(*)', 'n')
      .where('p.tenantId = :tenantId', { tenantId })
      .andWhere('p.accountId IN (:...accountIds)', { accountIds })
      .groupBy('p.accountId')
      .getRawMany<Row>();
    return new Map(rows.map((r) => [Number(r.account_id), Number(r.n)]));
  }

  private accounts(tenantId: number) {
    return this.ds.getRepository(ProgramAccount).createQueryBuilder('a').where('a.tenantId = :tenantId', { tenantId });
  }

  /** Submissions created in the range, per trade-in status. */
  submissionsByStatus(tenantId: number, range: StatsRange): Promise<Row[]> {
    const [sql, params] = within('p.created_at', range);
    return this.q(`SELECT t.status AS status, COUNT(*) AS n FROM trade_ins t JOIN trade_in_programs p ON p.trade_in_id = t.id WHERE p.tenant_id = ?${sql} GROUP BY t.status`, [tenantId, ...params]);
  }

  /**
   * Offers made in the range, per status; a pending offer whose expires_at has passed counts as
   * expired already (the expiry job marks it within a tick, but the figures must not wait for it).
   */
  offersByStatus(tenantId: number, range: StatsRange, now: string): Promise<Row[]> {
    const [sql, params] = within('created_at', range);
    return this.q(
      `SELECT CASE WHEN status = 'pending' AND expires_at IS NOT NULL AND expires_at <= ? THEN 'expired' ELSE status END AS status, COUNT(*) AS n
       FROM program_offers WHERE tenant_id = ?${sql} GROUP BY CASE WHEN status = 'pending' AND expires_at IS NOT NULL AND expires_at <= ? THEN 'expired' ELSE status END`,
      [now, tenantId, ...params, now],
    );
  }

  /** Count, sum and average of the offers made in the range, in cents (SUM/AVG of ROUND(amount*100): exact on both engines). */
  async offerMoney(tenantId: number, range: StatsRange): Promise<Row> {
    const [sql, params] = within('created_at', range);
    const [r] = await this.q(`SELECT COUNT(*) AS n, SUM(ROUND(amount * 100)) AS cents, ROUND(AVG(ROUND(amount * 100))) AS avg_cents FROM program_offers WHERE tenant_id = ?${sql}`, [
      tenantId,
      ...params,
    ]);
    return r;
  }

  /** The same for the credits issued in the range. */
  async creditMoney(tenantId: number, range: StatsRange): Promise<Row> {
    const [sql, params] = within('credit_issued_at', range);
    const [r] = await this.q(
      `SELECT COUNT(*) AS n, SUM(ROUND(credit_amount * 100)) AS cents, ROUND(AVG(ROUND(credit_amount * 100))) AS avg_cents FROM trade_in_programs WHERE tenant_id = ? AND credit_issued_at IS NOT NULL${sql}`,
      [tenantId, ...params],
    );
    return r;
  }

  /**
   * The median time between the first entries into two statuses, with a window-function query
   * (ROW_NUMBER/COUNT OVER) that is the same SQL on MariaDB and SQLite except for the timestamp
   * difference (TIMESTAMPDIFF vs julianday).
   */
  async medianStage(tenantId: number, from: TradeInStatus, to: TradeInStatus, range: StatsRange): Promise<Row | undefined> {
    const [sql, params] = within('p.created_at', range);
    const diff = this.tx.engine === 'mysql' ? 'TIMESTAMPDIFF(MICROSECOND, a.at, b.at) / 1000000' : '(julianday(b.at) - julianday(a.at)) * 86400.0';
    const [r] = await this.q(
      `WITH firsts AS (
         SELECT h.trade_in_id, h.to_status, MIN(h.changed_at) AS at
         FROM trade_in_status_changes h JOIN trade_in_programs p ON p.trade_in_id = h.trade_in_id
         WHERE h.tenant_id = ? AND h.to_status IN (?, ?)${sql}
         GROUP BY h.trade_in_id, h.to_status
       ), d AS (
         SELECT ${diff} AS secs FROM firsts a JOIN firsts b ON b.trade_in_id = a.trade_in_id AND a.to_status = ? AND b.to_status = ?
       ), r AS (
         SELECT secs, ROW_NUMBER() OVER (ORDER BY secs) AS rn, COUNT(*) OVER () AS cnt FROM d
       )
       SELECT ROUND(AVG(secs), 3) AS median, MAX(cnt) AS cnt FROM r WHERE rn * 2 >= cnt AND rn * 2 <= cnt + 2`,
      [tenantId, from, to, ...params, from, to],
    );
    return r;
  }
}
