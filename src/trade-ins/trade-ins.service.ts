import { Injectable, OnModuleInit } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../common/principal';
import { applyFilters, applyOrder, CollectionSpec, parsePagination, parseProperties, PropertyTree, QueryShape, readQuery, own } from '../common/collection';
import { badRequest, conflict, notFound, ValidationFailed, Violation } from '../common/errors';
import { checkIfMatch, etagOf } from '../common/etag';
import { IdempotencyService } from '../database/idempotency.service';
import { iriOf, parseIdIri, splitIri } from '../common/iri';
import { CollectionResult, ItemResult, ListResult, RenderedRows } from '../common/responses';
import { rawKey } from '../common/row-view';
import { validateObject } from '../common/validation';
import { Customer } from '../customers/customer.entity';
import { recordEvent } from '../database/outbox';
import { TxService } from '../database/tx.service';
import { Location } from '../locations/location.entity';
import { RejectReasonsRepository } from '../reject-reasons/reject-reasons.repository';
import { ldNode } from '../common/jsonld';
import { appraise } from './appraisal';
import { Extensions } from '../common/extensions';
import { REFERENCE_CHECKS } from '../common/references';
import { TRADE_IN_REFERENCE_CHECKS } from './trade-in.references';
import { canMove, LOCKED, reopenAdvice, Requirement, RequirementContext, requirementsTable, STATUS_SLUGS, UNLOCKED_FIELDS, unmetRequirements } from './status-machine';
import { TRADE_IN_RULES, TRADE_IN_VIEW_FIELDS, TradeInRules } from './trade-in.extensions';
import { NoDealInput, TradeInInput } from './trade-in.dto';
import { TRADE_IN_STATUSES, TradeIn, TradeInStatus, TradeInStatusChange } from './trade-in.entity';
import { NESTED, RELATIONS, sameValue, TOP_FIELDS } from './trade-in.fields';
import { serializeStatusChange } from './trade-in.serializer';
import { TradeInsRepository } from './trade-ins.repository';

export const TRADE_IN_SPEC: CollectionSpec = {
  order: {
    id: 't.id',
    createdAt: 't.createdAt',
    updatedAt: 't.updatedAt',
    status: 't.status',
    purchasePrice: 't.purchasePrice',
    customerAskingPrice: 't.customerAskingPrice',
    // the folded copies (see common/search-text.ts): the same order on both engines
    'vehicleModel.make': 't.vmMakeSearch',
    'vehicleModel.model': 't.vmModelSearch',
    'vehicleModel.mileage': 't.vmMileage',
    'vehicleModel.firstRegistrationDate': 't.vmFirstRegistrationDate',
  },
  exact: {
    status: { column: 't.status', values: TRADE_IN_STATUSES },
    customer: { column: 't.customerId', iriOf: 'customers' },
    dealership: { column: 't.dealershipId', iriOf: 'locations' },
    'vehicleModel.regNr': { column: 't.vmRegNr', maxLength: 20 },
    'vehicleModel.vinCode': { column: 't.vmVinCode', maxLength: 17 },
  },
  partial: {
    'vehicleModel.make': { column: 't.vmMakeSearch', fold: true, index: 'ix_trade_ins_tenant_id_vm_make_search' },
    'vehicleModel.model': { column: 't.vmModelSearch', fold: true, index: 'ix_trade_ins_tenant_id_vm_model_search' },
    note: { column: 't.noteSearch', fold: true },
  },
  date: { createdAt: 't.createdAt', updatedAt: 't.updatedAt' },
  range: { purchasePrice: 't.purchasePrice', 'vehicleModel.mileage': 't.vmMileage' },
  exists: {
    customer: 't.customerId',
    dealership: 't.dealershipId',
    purchasePrice: 't.purchasePrice',
    customerAskingPrice: 't.customerAskingPrice',
    rejectReason: 't.rejectReason',
    note: 't.note',
    reportSignedAt: 't.reportSignedAt',
    'vehicleModel.regNr': 't.vmRegNr',
    'vehicleModel.vinCode': 't.vmVinCode',
    'vehicleModel.mileage': 't.vmMileage',
    'vehicleModel.firstRegistrationDate': 't.vmFirstRegistrationDate',
  },
  defaultOrder: [['t.id', 'DESC']],
};

/**
 * Who changes a trade-in: staff (a user), a customer acting through an add-on (the programme: its
 * dealer-side customer record, `customerId`), or a system job (`job`, its name). Recorded with
 * every move in the history.
 */
export interface Actor {
  tenantId: number;
  userId: number | null;
  customerId?: number | null;
  job?: string | null;
}

/** Who acted, as the history and the events show it. */
function actorDetail(p: Actor) {
  const c = actorColumns(p);
  return {
    kind: c.actorKind,
    user: p.userId === null ? null : iriOf('users', p.userId),
    customer: c.changedByCustomerId === null ? null : iriOf('customers', c.changedByCustomerId),
    job: c.actorJob,
  };
}

/** The kind of actor of a move, and its customer or job. */
export function actorColumns(p: Actor): Pick<TradeInStatusChange, 'actorKind' | 'changedByCustomerId' | 'actorJob'> {
  if (p.userId !== null) return { actorKind: 'user', changedByCustomerId: null, actorJob: null };
  if (p.customerId !== null && p.customerId !== undefined) return { actorKind: 'customer', changedByCustomerId: p.customerId, actorJob: null };
  return { actorKind: 'system', changedByCustomerId: null, actorJob: p.job ?? null };
}

/** The parts of a write: entity values to set, the API path of each, and a requested status. */
interface Changes {
  values: Partial<TradeIn>;
  paths: Map<string, keyof TradeIn>;
  status?: TradeInStatus;
}

@Injectable()
export class TradeInsService implements OnModuleInit {
  /** The add-ons' rules (trade-in.extensions.ts) and the requirement table with theirs. */
  private rules: readonly TradeInRules[] = [];
  private requirements: Record<TradeInStatus, Requirement[]>;

  constructor(
    private readonly ds: DataSource,
    private readonly tx: TxService,
    private readonly idempotency: IdempotencyService,
    private readonly tradeIns: TradeInsRepository,
    private readonly rejectReasons: RejectReasonsRepository,
    private readonly extensions: Extensions,
  ) {
    for (const check of TRADE_IN_REFERENCE_CHECKS) extensions.add(REFERENCE_CHECKS, check);
  }

  /** After every module registered its extensions (common/extensions.ts): the view and the rules, once. */
  onModuleInit(): void {
    this.rules = this.extensions.all(TRADE_IN_RULES);
    this.requirements = requirementsTable(this.rules);
    this.tradeIns.compile(this.extensions.all(TRADE_IN_VIEW_FIELDS));
  }

  // ---------------------------------------------------------------- reading

  async list(req: Request, p: Principal): Promise<CollectionResult> {
    const q = readQuery(req);
    const pagination = parsePagination(q);
    const properties = parseProperties(q.properties);
    const shape = new QueryShape().andWhere('t.tenantId = :tenantId', { tenantId: p.tenantId });
    applyFilters(shape, TRADE_IN_SPEC, q);
    const keys = applyOrder(shape, TRADE_IN_SPEC, q);
    const { rows, view, total, hasNext } = await this.tradeIns.page(shape, keys, properties, pagination);
    return new CollectionResult('TradeIn', new RenderedRows(rows, view), total, pagination, hasNext, q);
  }

  /** The representation of one trade-in (read through `em`, e.g. inside the write's transaction), with its ETag. */
  private async present(em: EntityManager, tenantId: number, id: number, properties: PropertyTree | null = null, status?: number): Promise<ItemResult> {
    const { rows, view } = await this.tradeIns.rendered(em, tenantId, id, properties);
    if (rows.length === 0) throw notFound(`Trade-in ${id} was not found.`);
    return new ItemResult(new RenderedRows(rows, view), {
      status,
      etag: etagOf(Number(rows[0][rawKey('t.version')])),
      location: status === 201 ? iriOf('trade-ins', id) : undefined,
    });
  }

  /** The outbox event of a write (database/outbox.ts), in its transaction: the representation as of the change. */
  private async recordChange(em: EntityManager, tenantId: number, id: number, actor: Actor, change: Partial<TradeInStatusChange> | null): Promise<void> {
    const { rows, view } = await this.tradeIns.rendered(em, tenantId, id, null);
    const tradeIn = new RenderedRows(rows, view).as(false)[0];
    const who = actor.userId === null ? null : iriOf('users', actor.userId);
    // `actor` stays the staff user's IRI (null otherwise); `actorDetail` tells a customer from a job, as the history does.
    const detail = actorDetail(actor);
    if (!change) await recordEvent(em, tenantId, 'trade_in.updated', iriOf('trade-ins', id), { tradeIn, actor: who, actorDetail: detail }, id);
    else
      await recordEvent(
        em,
        tenantId,
        change.fromStatus ? 'trade_in.status_changed' : 'trade_in.created',
        iriOf('trade-ins', id),
        { from: change.fromStatus, to: change.toStatus, actor: who, actorDetail: detail, tradeIn },
        id,
      );
  }

  /** Records `trade_in.created` for a trade-in another part of the application inserted (the programme's submissions). */
  created(em: EntityManager, actor: Actor, id: number): Promise<void> {
    return this.recordChange(em, actor.tenantId, id, actor, { fromStatus: null, toStatus: 'not_done' });
  }

  /** Some columns of one trade-in of the tenant, or 404. */
  private async find<K extends keyof TradeIn>(em: EntityManager, tenantId: number, id: number, columns: K[]): Promise<Pick<TradeIn, K>> {
    const t = await this.tradeIns.select(em, tenantId, id, columns);
    if (!t) throw notFound(`Trade-in ${id} was not found.`);
    return t;
  }

  /**
   * The bare row, locked FOR UPDATE on MySQL, inside a write transaction. Lock order, everywhere:
   * the trade-in, then its programme row, then its offers, then photos. The lock must be the
   * transaction's first read: MariaDB's REPEATABLE READ fixes a plain SELECT's snapshot at the first
   * plain read, so rows read plainly before the lock would be seen as they were before it.
   */
  async lockRow(em: EntityManager, tenantId: number, id: number): Promise<TradeIn> {
    const t = await this.tradeIns.lock(em, tenantId, id);
    if (!t) throw notFound(`Trade-in ${id} was not found.`);
    return t;
  }

  /** What each rules extension holds for the trade-in (by its name), read after the trade-in row (and locked, inside a write). */
  async lockFacts(em: EntityManager, tenantId: number, tradeInId: number, lock = true): Promise<Record<string, unknown>> {
    const facts: Record<string, unknown> = {};
    for (const r of this.rules) facts[r.name] = await r.facts(em, tenantId, tradeInId, lock);
    return facts;
  }

  /** The trade-in's programme row (null for dealer-entered trade-ins, or without the programme), locked after the trade-in row. */
  async lockProgram(em: EntityManager, tenantId: number, tradeInId: number): Promise<unknown> {
    return (await this.lockFacts(em, tenantId, tradeInId)).program ?? null;
  }

  /** The dealer API's hooks of the rules extensions that have facts for this trade-in. */
  private dealerRules(facts: Record<string, unknown>): { rules: TradeInRules; facts: unknown }[] {
    return this.rules.flatMap((r) => (facts[r.name] === null || facts[r.name] === undefined ? [] : [{ rules: r, facts: facts[r.name] }]));
  }

  /** For sub-resources (pictures, comments, history): 404 unless the trade-in exists in the tenant. */
  async assertExists(em: EntityManager, tenantId: number, id: number): Promise<void> {
    if (!(await this.tradeIns.exists(em, tenantId, id))) throw notFound(`Trade-in ${id} was not found.`);
  }

  async get(req: Request, p: Principal, id: number): Promise<ItemResult> {
    return this.present(this.ds.manager, p.tenantId, id, parseProperties(readQuery(req).properties));
  }

  /** The appraisal maths on the stored inputs (see appraisal.ts for the formula). */
  async appraisal(p: Principal, id: number): Promise<ItemResult> {
    const t = await this.find(this.ds.manager, p.tenantId, id, ['id', 'marketPrice', 'daysToSale', 'dailyDepreciationRate', 'refurbishCostEstimate', 'margin']);
    return new ItemResult(ldNode('Appraisal', { iri: `${iriOf('trade-ins', id)}/appraisal`, ...appraise(t) }));
  }

  /**
   * The moves this API may make from the trade-in's status (the machine's table, less those only the
   * programme makes), each with the entry requirements it does not meet now. Advisory (read without
   * a lock): the move itself checks again under its lock.
   */
  async statusMoves(p: Principal, id: number): Promise<ItemResult> {
    const em = this.ds.manager;
    const t = await this.tradeIns.find(em, p.tenantId, id);
    if (!t) throw notFound(`Trade-in ${id} was not found.`);
    const ctx = await this.requirementContext(em, p.tenantId, id);
    const facts = ctx.facts ?? {};
    // A move an extension keeps from the dealer API (the programme's offers and acceptances) is not offered.
    const dealerMay = (target: TradeInStatus) => {
      try {
        for (const { rules, facts: f } of this.dealerRules(facts)) rules.assertDealerMove?.(f, target);
        return true;
      } catch {
        return false;
      }
    };
    const moves = Object.entries(STATUS_SLUGS)
      .filter(([, target]) => target !== t.status && canMove(t.status, target) && dealerMay(target))
      .map(([slug, target]) => {
        const noDeal = target === 'no_deal';
        // no-deal takes its reject reason in the move's body: not a requirement on the stored row.
        const unmet = unmetRequirements(target, t, ctx, this.requirements).filter((v) => !(noDeal && v.propertyPath === 'rejectReason'));
        return { slug, status: target, unmet, takes: noDeal ? ['rejectReason', 'rejectReasonMetaText'] : [] };
      });
    const iri = iriOf('trade-ins', id);
    const last = await this.tradeIns.lastChange(p.tenantId, id);
    return new ItemResult(ldNode('StatusMoves', { iri: `${iri}/status-moves`, tradeIn: iri, status: t.status, moves, lastChange: last ? serializeStatusChange(last) : null }));
  }

  async history(p: Principal, id: number): Promise<ListResult> {
    await this.assertExists(this.ds.manager, p.tenantId, id);
    const rows = await this.tradeIns.history(p.tenantId, id);
    return new ListResult('StatusChange', rows.map(serializeStatusChange));
  }

  // ---------------------------------------------------------------- input

  /** A reject reason as a code or a `/api/v3/reject-reasons/{code}` IRI; anything else, or an unknown code, is a violation. */
  private async rejectReasonCode(em: EntityManager, raw: string | null | undefined, violations: Violation[]) {
    if (raw === undefined || raw === null) return raw;
    const isIri = /^(\/|https?:)/i.test(raw);
    const iri = isIri ? splitIri(raw) : null;
    const code = !isIri ? raw : iri?.resource === 'reject-reasons' ? iri.id : '';
    const known = /^[a-z0-9_]{1,64}$/.test(code) && (await this.rejectReasons.exists(em, code));
    if (!known) violations.push({ propertyPath: 'rejectReason', message: `"${raw.slice(0, 64)}" is not a reject reason; see /api/v3/reject-reasons.`, code: 'invalid_choice' });
    // An unknown value stays as sent: its one violation is above, not a second "required" one.
    return known ? code : raw;
  }

  /** Turns a validated body into entity values; resolves IRIs within the caller's tenant (400 when they point at nothing). */
  private async collect(em: EntityManager, p: Principal, input: TradeInInput, violations: Violation[]): Promise<Changes> {
    const values: Partial<TradeIn> = {};
    const paths = new Map<string, keyof TradeIn>();
    const set = (path: string, prop: keyof TradeIn, value: unknown) => {
      (values as Record<string, unknown>)[prop] = value;
      paths.set(path, prop);
    };
    for (const [api, prop] of Object.entries(TOP_FIELDS)) {
      const v = (input as Record<string, unknown>)[api];
      if (v !== undefined) set(api, prop, v);
    }
    for (const [name, fields] of Object.entries(NESTED)) {
      const obj = (input as Record<string, unknown>)[name];
      if (obj === null) for (const [sub, prop] of Object.entries(fields)) set(`${name}.${sub}`, prop, null);
      if (!obj || typeof obj !== 'object') continue;
      for (const [sub, prop] of Object.entries(fields)) {
        let v = (obj as Record<string, unknown>)[sub];
        if (v === undefined) continue;
        if (sub === 'accidents' && Array.isArray(v)) {
          v = v.map((a: { date?: string | null; description?: string | null; repairCost?: number | null }) => ({
            date: a.date ?? null,
            description: a.description ?? null,
            repairCost: a.repairCost ?? null,
          }));
        }
        set(`${name}.${sub}`, prop, v);
      }
    }
    if (values.rejectReason !== undefined) values.rejectReason = (await this.rejectReasonCode(em, values.rejectReason, violations)) ?? null;
    for (const [field, resource, entity] of [
      ['customer', 'customers', Customer],
      ['dealership', 'locations', Location],
    ] as const) {
      const raw = (input as Record<string, unknown>)[field];
      if (raw === undefined) continue;
      const fk = RELATIONS[field].fk;
      if (raw === null) {
        set(field, fk, null);
        continue;
      }
      const id = parseIdIri(raw, resource, field);
      if (!(await this.tradeIns.referenceExists(em, entity, p.tenantId, id))) {
        throw badRequest(`The "${field}" field references ${iriOf(resource, id)}, which does not exist.`);
      }
      set(field, fk, id);
    }
    return { values, paths, status: input.status };
  }

  /** What the entry requirements read besides the trade-in; `facts` when the caller already holds them (locked), else read plainly. */
  private async requirementContext(em: EntityManager, tenantId: number, tradeInId?: number, facts?: Record<string, unknown>): Promise<RequirementContext> {
    const locationCount = await this.tradeIns.locationCount(em, tenantId);
    const known = { ...(facts ?? {}) };
    for (const r of this.rules) if (!(r.name in known)) known[r.name] = tradeInId ? await r.facts(em, tenantId, tradeInId, false) : null;
    return { locationCount, facts: known };
  }

  /** Entering done (or being created past it) signs the appraisal report. */
  private sign(t: TradeIn, p: Actor, now: Date): void {
    t.doneById = p.userId;
    t.reportSignedAt = now;
    t.reportSignedById = p.userId;
  }

  /** The history row for the trade-in's current status. */
  private statusChange(t: TradeIn, from: TradeInStatus | null, p: Actor, now: Date): Partial<TradeInStatusChange> {
    const noDeal = t.status === 'no_deal';
    return {
      tenantId: t.tenantId,
      tradeInId: t.id,
      fromStatus: from,
      toStatus: t.status,
      changedById: p.userId,
      ...actorColumns(p),
      changedAt: now,
      rejectReason: noDeal ? t.rejectReason : null,
      rejectReasonMetaText: noDeal ? t.rejectReasonMetaText : null,
    };
  }

  /** Side effects of entering a status; returns the history row to write. */
  private enter(t: TradeIn, to: TradeInStatus, p: Actor, now: Date, reason?: { rejectReason?: string | null; rejectReasonMetaText?: string | null }) {
    const from = t.status;
    if (to === 'done') this.sign(t, p, now);
    if (to === 'not_done' && from === 'no_deal') {
      t.rejectReason = null;
      t.rejectReasonMetaText = null;
    }
    if (to === 'not_done' && LOCKED.has(from)) {
      t.doneById = null;
      t.reportSignedAt = null;
      t.reportSignedById = null;
    }
    if (to === 'no_deal' && reason) {
      if (reason.rejectReason !== undefined) t.rejectReason = reason.rejectReason;
      if (reason.rejectReasonMetaText !== undefined) t.rejectReasonMetaText = reason.rejectReasonMetaText;
    }
    t.status = to;
    return this.statusChange(t, from, p, now);
  }

  /** Writes only the columns that differ, bumps the version, records the status change. */
  private async persist(em: EntityManager, before: TradeIn, after: TradeIn, p: Actor, now: Date, change: Partial<TradeInStatusChange> | null) {
    const diff: Record<string, unknown> = {};
    for (const c of this.tradeIns.columns) {
      const k = c as keyof TradeIn;
      if (!sameValue(before[k], after[k])) diff[c] = after[k];
    }
    if (Object.keys(diff).length === 0 && !change) return false;
    Object.assign(diff, { updatedAt: now, updatedById: p.userId, version: before.version + 1 });
    await this.tradeIns.update(em, p.tenantId, before.id, diff);
    Object.assign(after, { updatedAt: now, updatedById: p.userId, version: before.version + 1 });
    if (change) await this.tradeIns.insertChange(em, change);
    await this.recordChange(em, p.tenantId, before.id, p, change);
    return true;
  }

  // ---------------------------------------------------------------- writing

  async create(req: Request, p: Principal, body: unknown): Promise<ItemResult> {
    const input = validateObject(TradeInInput, body);
    return this.idempotency.create(
      req,
      p,
      async (em) => {
        const violations: Violation[] = [];
        const changes = await this.collect(em, p, input, violations);
        const now = new Date();
        const t = this.newRow(p, now, changes.values);
        const target = changes.status ?? 'not_done';
        t.status = target;
        if (target !== 'not_done') violations.push(...unmetRequirements(target, t, await this.requirementContext(em, p.tenantId), this.requirements));
        if (violations.length) throw new ValidationFailed(violations);
        if (LOCKED.has(target)) this.sign(t, p, now);
        // A plain INSERT (no re-read of defaults: every value is set above); the joined re-read below is the answer.
        t.id = await this.tradeIns.insert(em, t);
        await this.tradeIns.insertChange(em, this.statusChange(t, null, p, now));
        const result = await this.present(em, p.tenantId, t.id, null, 201);
        await recordEvent(
          em,
          p.tenantId,
          'trade_in.created',
          iriOf('trade-ins', t.id),
          { from: null, to: t.status, actor: iriOf('users', p.userId), actorDetail: actorDetail(p), tradeIn: (result.item as RenderedRows).as(false)[0] },
          t.id,
        );
        return { id: t.id, location: iriOf('trade-ins', t.id), result };
      },
      (id) => this.present(this.ds.manager, p.tenantId, id, null, 201),
    );
  }

  /** A new trade-in's row (not yet written): the defaults, then `values`. */
  private newRow(actor: Actor, now: Date, values: Partial<TradeIn>): TradeIn {
    return this.tradeIns.instance({
      tenantId: actor.tenantId,
      status: 'not_done',
      priceExVat: false,
      isVatExempt: false,
      vmVehicleType: 'PC',
      createdAt: now,
      createdById: actor.userId,
      updatedAt: now,
      updatedById: actor.userId,
      version: 1,
      ...values,
    });
  }

  /**
   * A draft (not_done) trade-in created by another part of the application (the customer
   * programme), inside its transaction: the same defaults and first history row as POST
   * /trade-ins; the count cache hears the INSERT through insertRow. Later moves go through transition().
   */
  async createDraft(em: EntityManager, actor: Actor, values: Partial<TradeIn>): Promise<TradeIn> {
    const now = new Date();
    const t = this.newRow(actor, now, { ...values, status: 'not_done' });
    t.id = await this.tradeIns.insert(em, t);
    await this.tradeIns.insertChange(em, this.statusChange(t, null, actor, now));
    return t;
  }

  async patch(req: Request, p: Principal, id: number, body: unknown): Promise<ItemResult> {
    const input = validateObject(TradeInInput, body);
    return this.tx.run(async (em) => {
      const before = await this.lockRow(em, p.tenantId, id);
      const facts = await this.lockFacts(em, p.tenantId, id);
      checkIfMatch(req, before.version);
      const violations: Violation[] = [];
      const changes = await this.collect(em, p, input, violations);
      const target = changes.status ?? before.status;
      const moving = target !== before.status;
      if (moving && !canMove(before.status, target)) {
        throw conflict(`A trade-in in status "${before.status}" cannot move to "${target}".`);
      }
      for (const { rules, facts: f } of this.dealerRules(facts)) {
        if (moving) rules.assertDealerMove?.(f, target);
        violations.push(...(rules.dealerPatchViolations?.(f, before, changes.values) ?? []));
      }
      if (LOCKED.has(before.status)) {
        for (const [path, prop] of changes.paths) {
          if (UNLOCKED_FIELDS.has(path)) continue;
          if (target === 'no_deal' && (prop === 'rejectReason' || prop === 'rejectReasonMetaText')) continue;
          if (!sameValue(before[prop], changes.values[prop])) {
            violations.push({
              propertyPath: path,
              message: `${path} cannot be changed while the trade-in is ${before.status}; only vehicleModel.vinCode can. ${reopenAdvice(before.status, id)}`,
              code: 'locked',
            });
          }
        }
      }
      const after = Object.assign(this.tradeIns.instance(before), changes.values);
      const now = new Date();
      let change = null;
      if (moving) {
        violations.push(...unmetRequirements(target, after, await this.requirementContext(em, p.tenantId, id, facts), this.requirements));
        change = this.enter(after, target, p, now);
      }
      if (violations.length) throw new ValidationFailed(violations);
      await this.persist(em, before, after, p, now, change);
      return this.present(em, p.tenantId, id);
    });
  }

  async changeStatus(req: Request, p: Principal, id: number, slug: string, body: unknown): Promise<ItemResult> {
    const target = own(STATUS_SLUGS, slug);
    if (!target) throw notFound(`Unknown status route "${slug.slice(0, 40)}". Use one of: ${Object.keys(STATUS_SLUGS).join(', ')}.`);
    const reason = target === 'no_deal' ? validateObject(NoDealInput, body ?? {}) : undefined;
    return this.tx.run(async (em) => {
      const before = await this.lockRow(em, p.tenantId, id);
      const facts = await this.lockFacts(em, p.tenantId, id);
      checkIfMatch(req, before.version);
      if (before.status === target) return this.present(em, p.tenantId, id); // safe retry: no-op
      if (!canMove(before.status, target)) {
        throw conflict(`A trade-in in status "${before.status}" cannot move to "${target}".`);
      }
      for (const { rules, facts: f } of this.dealerRules(facts)) rules.assertDealerMove?.(f, target);
      const violations: Violation[] = [];
      const after = this.tradeIns.instance(before);
      const now = new Date();
      const rejectReason = reason ? await this.rejectReasonCode(em, reason.rejectReason, violations) : undefined;
      const change = this.enter(after, target, p, now, reason && { rejectReason, rejectReasonMetaText: reason.rejectReasonMetaText });
      violations.push(...unmetRequirements(target, after, await this.requirementContext(em, p.tenantId, id, facts), this.requirements));
      if (violations.length) throw new ValidationFailed(violations);
      await this.persist(em, before, after, p, now, change);
      return this.present(em, p.tenantId, id);
    });
  }

  /**
   * A status move made by another part of the application (the customer programme), inside its
   * transaction, on a row it locked: the same table, requirements, side effects and history.
   * `values` are trade-in fields set together with the move; `facts` what the rules extensions'
   * requirements should see (after the caller's changes), by extension name; `program` is short
   * for `facts.program`.
   */
  async transition(
    em: EntityManager,
    actor: Actor,
    before: TradeIn,
    target: TradeInStatus,
    opts: { values?: Partial<TradeIn>; program?: unknown; facts?: Record<string, unknown>; reason?: { rejectReason?: string | null; rejectReasonMetaText?: string | null } } = {},
  ): Promise<TradeIn> {
    if (!canMove(before.status, target)) throw conflict(`A trade-in in status "${before.status}" cannot move to "${target}".`);
    const after = Object.assign(this.tradeIns.instance(before), opts.values ?? {});
    const now = new Date();
    const change = this.enter(after, target, actor, now, opts.reason);
    const facts = opts.program === undefined ? opts.facts : { ...opts.facts, program: opts.program };
    const violations = unmetRequirements(target, after, await this.requirementContext(em, actor.tenantId, before.id, facts), this.requirements);
    if (violations.length) throw new ValidationFailed(violations);
    await this.persist(em, before, after, actor, now, change);
    return after;
  }

  /** Writes field changes without a status move (same versioning as a PATCH). */
  async update(em: EntityManager, actor: Actor, before: TradeIn, values: Partial<TradeIn>): Promise<TradeIn> {
    const after = Object.assign(this.tradeIns.instance(before), values);
    await this.persist(em, before, after, actor, new Date(), null);
    return after;
  }

  async remove(req: Request, p: Principal, id: number): Promise<void> {
    await this.tx.run(async (em) => {
      const t = await this.lockRow(em, p.tenantId, id);
      const facts = await this.lockFacts(em, p.tenantId, id);
      checkIfMatch(req, t.version);
      for (const { rules, facts: f } of this.dealerRules(facts)) rules.assertDealerRemove?.(f, t);
      await this.tradeIns.delete(em, p.tenantId, id);
      await recordEvent(em, p.tenantId, 'trade_in.deleted', iriOf('trade-ins', id), { tradeIn: { id, iri: iriOf('trade-ins', id) }, actor: iriOf('users', p.userId) }, id);
    });
  }
}
