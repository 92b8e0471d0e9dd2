import { Injectable } from '@nestjs/common';
import { iriOf } from '../common/iri';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { applyFilters, applyOrder, CollectionSpec, fetchPage, parsePagination, readQuery } from '../common/collection';
import { conflict, notFound, ValidationFailed, violation } from '../common/errors';
import { fromCents } from '../common/money';
import { ParseIdPipe } from '../common/params';
import { CollectionResult, ItemResult } from '../common/responses';
import { isoTimestamp } from '../common/serialize';
import { validateObject } from '../common/validation';
import { TxService } from '../database/tx.service';
import { TradeInStatus } from '../trade-ins/trade-in.entity';
import type { Caller } from './program.guard';
import { ModifiersInput, ValuationInput } from './program.dto';
import { ConditionModifier, GRADES, OFFER_STATUSES, ProgramAccount, ProgramValuation } from './program.entities';
import { PROGRAM_STATUS, PROGRAM_STATUSES } from './program.mapping';
import { ProgramService } from './program.service';

export const VALUATION_SPEC: CollectionSpec = {
  order: { id: 'v.id', make: 'v.make', model: 'v.model', year_from: 'v.yearFrom', base_value: 'v.baseValue' },
  exact: { product_id: { column: 'v.productId', maxLength: 64 } },
  partial: { make: 'v.make', model: 'v.model' },
  defaultOrder: [['v.id', 'DESC']],
};

/** Stage pairs of the median times: first entry into each trade-in status (from the status history). */
const STAGES: [TradeInStatus, TradeInStatus][] = [
  ['ready_for_appraisal', 'sent_to_customer'],
  ['sent_to_customer', 'purchase_agreement'],
  ['purchase_agreement', 'shipped'],
  ['shipped', 'received'],
  ['received', 'inspected'],
  ['inspected', 'completed'],
  ['ready_for_appraisal', 'completed'],
];

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

@Injectable()
export class AdminService {
  private readonly ids = new ParseIdPipe();

  constructor(
    private readonly ds: DataSource,
    private readonly tx: TxService,
  ) {}

  // ------------------------------------------------------------ valuations

  private renderValuation(v: ProgramValuation) {
    return {
      id: v.id,
      product_id: v.productId,
      make: v.make,
      model: v.model,
      year_from: v.yearFrom,
      year_to: v.yearTo,
      base_value: v.baseValue,
      created_at: isoTimestamp(v.createdAt),
      updated_at: isoTimestamp(v.updatedAt),
    };
  }

  async listValuations(req: Request, caller: Caller): Promise<CollectionResult> {
    const q = readQuery(req);
    const pagination = parsePagination(q);
    const qb = this.ds.getRepository(ProgramValuation).createQueryBuilder('v').where('v.tenantId = :tenantId', { tenantId: caller.tenant.id });
    applyFilters(qb, VALUATION_SPEC, q);
    applyOrder(qb, VALUATION_SPEC, q);
    const { rows, total, hasNext } = await fetchPage(qb, pagination);
    return new CollectionResult(
      'Valuation',
      rows.map((r) => this.renderValuation(r)),
      total,
      pagination,
      hasNext,
      q,
    );
  }

  private async findValuation(caller: Caller, rawId: string, lock = false, em = this.ds.manager) {
    const id = this.ids.transform(rawId, { type: 'param' });
    const v = await em.getRepository(ProgramValuation).findOne({ where: { id, tenantId: caller.tenant.id }, ...(lock ? { lock: this.tx.lockMode() } : {}) });
    if (!v) throw notFound(`Valuation ${id} was not found.`);
    return v;
  }

  async getValuation(caller: Caller, rawId: string) {
    return new ItemResult(this.renderValuation(await this.findValuation(caller, rawId)));
  }

  private read(body: unknown): ValuationInput {
    const input = validateObject(ValuationInput, body);
    if (input.year_to < input.year_from) throw new ValidationFailed([violation('year_to', 'year_to must not be before year_from', 'invalid_range')]);
    return input;
  }

  private async productFree(em = this.ds.manager, tenantId: number, productId: string | null | undefined, exceptId?: number) {
    if (!productId) return;
    const other = await em.getRepository(ProgramValuation).findOneBy({ tenantId, productId });
    if (other && other.id !== exceptId) throw conflict(`product_id "${productId}" is already used by valuation ${other.id}.`);
  }

  async createValuation(caller: Caller, body: unknown) {
    const input = this.read(body);
    const v = await this.tx.run(async (em) => {
      await this.productFree(em, caller.tenant.id, input.product_id);
      const now = new Date();
      return em.getRepository(ProgramValuation).save(
        em.getRepository(ProgramValuation).create({
          tenantId: caller.tenant.id,
          productId: input.product_id ?? null,
          make: input.make.trim(),
          model: input.model.trim(),
          yearFrom: input.year_from,
          yearTo: input.year_to,
          baseValue: input.base_value,
          createdAt: now,
          updatedAt: now,
        }),
      );
    });
    return new ItemResult(this.renderValuation(v), { status: 201, location: `/api/${caller.tenant.slug}/admin/valuations/${v.id}` });
  }

  /** PUT replaces the valuation (every required field again). Existing quotes keep their value. */
  async updateValuation(caller: Caller, rawId: string, body: unknown) {
    const input = this.read(body);
    const v = await this.tx.run(async (em) => {
      const v = await this.findValuation(caller, rawId, true, em);
      await this.productFree(em, caller.tenant.id, input.product_id, v.id);
      Object.assign(v, {
        productId: input.product_id ?? null,
        make: input.make.trim(),
        model: input.model.trim(),
        yearFrom: input.year_from,
        yearTo: input.year_to,
        baseValue: input.base_value,
        updatedAt: new Date(),
      });
      return em.getRepository(ProgramValuation).save(v);
    });
    return new ItemResult(this.renderValuation(v));
  }

  async deleteValuation(caller: Caller, rawId: string): Promise<void> {
    await this.tx.run(async (em) => {
      const v = await this.findValuation(caller, rawId, true, em);
      await em.getRepository(ProgramValuation).delete({ id: v.id, tenantId: caller.tenant.id });
    });
  }

  // ------------------------------------------------------------ condition modifiers

  async getModifiers(program: ProgramService, caller: Caller) {
    return new ItemResult(await program.modifiers(this.ds.manager, caller.tenant.id));
  }

  /** Only the grades sent change; the others keep their value (default or earlier setting). */
  async putModifiers(program: ProgramService, caller: Caller, body: unknown) {
    const input = validateObject(ModifiersInput, body);
    await this.tx.run(async (em) => {
      const repo = em.getRepository(ConditionModifier);
      for (const grade of GRADES) {
        const percent = input[grade];
        if (percent === undefined) continue;
        await repo.delete({ tenantId: caller.tenant.id, grade });
        await repo.insert({ tenantId: caller.tenant.id, grade, percent });
      }
    });
    return this.getModifiers(program, caller);
  }

  // ------------------------------------------------------------ customers

  async customers(req: Request, caller: Caller): Promise<CollectionResult> {
    const q = readQuery(req);
    const pagination = parsePagination(q);
    const base = this.ds.getRepository(ProgramAccount).createQueryBuilder('a').where('a.tenantId = :tenantId', { tenantId: caller.tenant.id });
    const total = pagination.partial ? null : await base.clone().getCount();
    const offset = (pagination.page - 1) * pagination.itemsPerPage;
    const rows = await base
      .clone()
      .innerJoin('a.customer', 'c')
      .select(['a.id AS id', 'a.email AS email', 'a.created_at AS created_at', 'c.id AS customer_id', 'c.first_name AS first_name', 'c.last_name AS last_name', 'c.phone AS phone'])
      .addSelect('(SELECT COUNT(*) FROM trade_in_programs p WHERE p.account_id = a.id AND p.tenant_id = a.tenant_id)', 'submissions_count')
      .orderBy('a.id', 'DESC')
      .offset(offset)
      .limit(pagination.itemsPerPage + 1)
      .getRawMany<Record<string, unknown>>();
    const page = rows.slice(0, pagination.itemsPerPage);
    const members = page.map((r) => ({
      id: num(r.id),
      email: r.email as string,
      first_name: (r.first_name as string | null) ?? null,
      last_name: (r.last_name as string | null) ?? null,
      phone: (r.phone as string | null) ?? null,
      customer: iriOf('customers', num(r.customer_id)),
      submissions_count: num(r.submissions_count),
      created_at: isoTimestamp(r.created_at as string | Date),
    }));
    return new CollectionResult('ProgramCustomer', members, total, pagination, rows.length > pagination.itemsPerPage, q);
  }

  // ------------------------------------------------------------ stats

  /**
   * Dashboard figures, each computed by the database: counts per status (GROUP BY), offer and credit
   * counts, sums and averages (in cents: SUM/AVG of ROUND(amount*100), exact on both engines), and the
   * median time between stages with a window-function query (ROW_NUMBER/COUNT OVER) that is the same
   * SQL on MariaDB and SQLite except for the timestamp difference (TIMESTAMPDIFF vs julianday).
   */
  async stats(caller: Caller) {
    const tenantId = caller.tenant.id;
    const q = (sql: string, params: unknown[]) => this.ds.query(sql, params) as Promise<Record<string, unknown>[]>;

    const byStatus: Record<string, number> = Object.fromEntries(PROGRAM_STATUSES.map((s) => [s, 0]));
    let submissions = 0;
    for (const r of await q('SELECT t.status AS status, COUNT(*) AS n FROM trade_ins t JOIN trade_in_programs p ON p.trade_in_id = t.id WHERE p.tenant_id = ? GROUP BY t.status', [tenantId])) {
      byStatus[PROGRAM_STATUS[r.status as TradeInStatus]] += num(r.n);
      submissions += num(r.n);
    }

    const offersByStatus: Record<string, number> = Object.fromEntries(OFFER_STATUSES.map((s) => [s, 0]));
    for (const r of await q('SELECT status, COUNT(*) AS n FROM program_offers WHERE tenant_id = ? GROUP BY status', [tenantId])) offersByStatus[r.status as string] = num(r.n);
    const answered = offersByStatus.accepted + offersByStatus.declined;

    const money = async (sql: string) => {
      const [r] = await q(sql, [tenantId]);
      const count = num(r.n);
      return { count, total: fromCents(BigInt(Math.round(num(r.cents)))), average: count ? fromCents(BigInt(Math.round(num(r.avg_cents)))) : null };
    };
    const offers = await money('SELECT COUNT(*) AS n, SUM(ROUND(amount * 100)) AS cents, ROUND(AVG(ROUND(amount * 100))) AS avg_cents FROM program_offers WHERE tenant_id = ?');
    const credits = await money(
      'SELECT COUNT(*) AS n, SUM(ROUND(credit_amount * 100)) AS cents, ROUND(AVG(ROUND(credit_amount * 100))) AS avg_cents FROM trade_in_programs WHERE tenant_id = ? AND credit_issued_at IS NOT NULL',
    );

    const diff = this.tx.engine === 'mysql' ? 'TIMESTAMPDIFF(MICROSECOND, a.at, b.at) / 1000000' : '(julianday(b.at) - julianday(a.at)) * 86400.0';
    const stageTimes = [];
    for (const [from, to] of STAGES) {
      const [r] = await q(
        `WITH firsts AS (
           SELECT h.trade_in_id, h.to_status, MIN(h.changed_at) AS at
           FROM trade_in_status_changes h JOIN trade_in_programs p ON p.trade_in_id = h.trade_in_id
           WHERE h.tenant_id = ? AND h.to_status IN (?, ?)
           GROUP BY h.trade_in_id, h.to_status
         ), d AS (
           SELECT ${diff} AS secs FROM firsts a JOIN firsts b ON b.trade_in_id = a.trade_in_id AND a.to_status = ? AND b.to_status = ?
         ), r AS (
           SELECT secs, ROW_NUMBER() OVER (ORDER BY secs) AS rn, COUNT(*) OVER () AS cnt FROM d
         )
         SELECT ROUND(AVG(secs), 3) AS median, MAX(cnt) AS cnt FROM r WHERE rn * 2 >= cnt AND rn * 2 <= cnt + 2`,
        [tenantId, from, to, from, to],
      );
      stageTimes.push({ from: PROGRAM_STATUS[from], to: PROGRAM_STATUS[to], count: num(r?.cnt), median_seconds: r?.median === null || r?.median === undefined ? null : Number(r.median) });
    }

    return new ItemResult({
      submissions,
      by_status: byStatus,
      offers_by_status: offersByStatus,
      acceptance_rate: answered ? Math.round((offersByStatus.accepted / answered) * 10000) / 10000 : null,
      offers,
      credits,
      stage_times: stageTimes,
    });
  }
}
