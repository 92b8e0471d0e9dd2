import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { CollectionSpec, readQuery } from '../../common/collection';
import type { CollectionQuery } from '../../common/collection.decorator';
import { iriOf } from '../../common/iri';
import { fromCents } from '../../common/money';
import { CollectionResult, ItemResult } from '../../common/responses';
import { isoTimestamp } from '../../common/serialize';
import { paginate } from '../../database/paginate';
import type { TradeInStatus } from '../../trade-ins/trade-in.entity';
import { OFFER_STATUSES } from '../offers/offer.entity';
import type { Caller } from '../program.guard';
import { PROGRAM_STATUS, PROGRAM_STATUSES } from '../program.mapping';
import { AdminRepository, StatsRange } from './admin.repository';
import { Query } from '../../common/collection';
import { ValidationFailed, Violation, violation } from '../../common/errors';
import { Timestamp } from '../program.validators';

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

/** The programme's customers: no filter or order of their own, newest first. */
export const PROGRAM_CUSTOMER_SPEC: CollectionSpec = { order: {}, defaultOrder: [['a.id', 'DESC']] };

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

const money = (r: Record<string, unknown>) => {
  const count = num(r.n);
  return { count, total: fromCents(BigInt(Math.round(num(r.cents)))), average: count ? fromCents(BigInt(Math.round(num(r.avg_cents)))) : null };
};

/** UTC DATETIME text, as both drivers store timestamps. */
const sqlTime = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');

const DAY = /^(\d{4})-(\d\d)-(\d\d)$/;

/** A calendar date (YYYY-MM-DD, UTC midnight) or an ISO 8601 timestamp with a zone; undefined when neither. */
function parseBound(value: string): { at: Date; day: boolean } | undefined {
  const m = DAY.exec(value);
  if (m) {
    const at = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return at.getUTCDate() === Number(m[3]) && at.getUTCMonth() === Number(m[2]) - 1 ? { at, day: true } : undefined;
  }
  return new Timestamp().validate(value) ? { at: new Date(value), day: false } : undefined;
}

/**
 * `from` (inclusive) and `to` of the statistics: dates or timestamps; a `to` date includes that whole
 * day. Every bad value, and a `to` before `from`, is one violation of a 422.
 */
function statsRange(q: Query): StatsRange & { fromIso: string | null; toIso: string | null } {
  const violations: Violation[] = [];
  const read = (name: 'from' | 'to') => {
    const raw = q[name];
    if (raw === undefined || raw === '') return null;
    const bound = typeof raw === 'string' ? parseBound(raw) : undefined;
    if (!bound) violations.push(violation(name, `${name} must be a date (YYYY-MM-DD) or an ISO 8601 timestamp with a time zone, e.g. 2024-02-01 or 2024-02-01T00:00:00Z`, 'invalid_date'));
    return bound ?? null;
  };
  const from = read('from');
  const to = read('to');
  const end = to ? (to.day ? new Date(to.at.getTime() + 86_400_000) : to.at) : null;
  if (from && end && end.getTime() <= from.at.getTime()) violations.push(violation('to', 'to must be after from', 'invalid_range'));
  if (violations.length) throw new ValidationFailed(violations);
  return { from: from ? sqlTime(from.at) : null, to: end ? sqlTime(end) : null, fromIso: from ? from.at.toISOString() : null, toIso: end ? end.toISOString() : null };
}

/** The programme dashboard for staff: its customers and its figures. */
@Injectable()
export class AdminService {
  constructor(private readonly admin: AdminRepository) {}

  /** `q`: the request parsed against PROGRAM_CUSTOMER_SPEC (`@Collection`); each account with its customer record and number of submissions. */
  customers(caller: Caller, q: CollectionQuery): Promise<CollectionResult> {
    let counts = new Map<number, number>();
    return paginate(
      this.admin.customersQuery(caller.tenant.id),
      q,
      'ProgramCustomer',
      (a) => ({
        id: a.id,
        email: a.email,
        first_name: a.customer?.firstName ?? null,
        last_name: a.customer?.lastName ?? null,
        phone: a.customer?.phone ?? null,
        customer: iriOf('customers', a.customerId),
        submissions_count: counts.get(a.id) ?? 0,
        created_at: isoTimestamp(a.createdAt),
      }),
      async (rows) => {
        counts = await this.admin.submissionCounts(
          caller.tenant.id,
          rows.map((a) => a.id),
        );
      },
    );
  }

  /**
   * Dashboard figures, each computed by the database (AdminRepository): counts per status, offer and
   * credit counts, sums and averages in exact cents, and the median time between stages. `from`/`to`
   * (dates or timestamps) narrow them: submissions (and their stage times) by creation, offers by
   * when they were made, credits by when they were issued.
   */
  async stats(req: Request, caller: Caller) {
    const tenantId = caller.tenant.id;
    const range = statsRange(readQuery(req));
    const byStatus: Record<string, number> = Object.fromEntries(PROGRAM_STATUSES.map((s) => [s, 0]));
    let submissions = 0;
    for (const r of await this.admin.submissionsByStatus(tenantId, range)) {
      byStatus[PROGRAM_STATUS[r.status as TradeInStatus]] += num(r.n);
      submissions += num(r.n);
    }

    const offersByStatus: Record<string, number> = Object.fromEntries(OFFER_STATUSES.map((s) => [s, 0]));
    for (const r of await this.admin.offersByStatus(tenantId, range, sqlTime(new Date()))) offersByStatus[r.status as string] = num(r.n);
    const answered = offersByStatus.accepted + offersByStatus.declined;

    const offers = money(await this.admin.offerMoney(tenantId, range));
    const credits = money(await this.admin.creditMoney(tenantId, range));

    const stageTimes = [];
    for (const [from, to] of STAGES) {
      const r = await this.admin.medianStage(tenantId, from, to, range);
      stageTimes.push({ from: PROGRAM_STATUS[from], to: PROGRAM_STATUS[to], count: num(r?.cnt), median_seconds: r?.median === null || r?.median === undefined ? null : Number(r.median) });
    }

    return new ItemResult({
      from: range.fromIso,
      to: range.toIso,
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
