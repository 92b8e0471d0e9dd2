import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource, EntityManager, FindOptionsSelect } from 'typeorm';
import { Principal } from '../auth/principal';
import { applyFilters, applyOrder, CollectionSpec, parsePagination, parseProperties, PropertyTree, QueryShape, readQuery, own } from '../common/collection';
import { CollectionCompiler } from '../common/collection-compiler';
import { badRequest, conflict, notFound, ValidationFailed, Violation } from '../common/errors';
import { checkIfMatch, etagOf } from '../common/etag';
import { IdempotencyService } from '../common/idempotency.service';
import { iriOf, parseIdIri, splitIri } from '../common/iri';
import { CollectionResult, ItemResult, ListResult, RenderedRows } from '../common/responses';
import { CompiledView, compileView, rawKey, ViewObject } from '../common/row-view';
import { validateObject } from '../common/validation';
import { Customer } from '../customers/customer.entity';
import { recordEvent } from '../database/outbox';
import { existsInTenant, insertRow, TxService } from '../database/tx.service';
import { Location } from '../locations/location.entity';
import { RejectReason } from '../reject-reasons/reject-reason.entity';
import { TradeInProgram } from '../upgrade/program.entities';
import { ldNode } from '../common/jsonld';
import { appraise } from './appraisal';
import { canMove, LOCKED, reopenAdvice, RequirementContext, STATUS_SLUGS, UNLOCKED_FIELDS, unmetRequirements } from './status-machine';
import { NoDealInput, TradeInInput } from './trade-in.dto';
import { TRADE_IN_STATUSES, TradeIn, TradeInStatus, TradeInStatusChange } from './trade-in.entity';
import { NESTED, RELATIONS, sameValue, TOP_FIELDS } from './trade-in.fields';
import { TradeInCounts } from './trade-in-counts';
import { serializeStatusChange } from './trade-in.serializer';
import { tradeInView } from './trade-in.view';

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

/** Programme statuses from the customer's acceptance on: the agreement (and later the credit) must stay. */
const ACCEPTED: ReadonlySet<TradeInStatus> = new Set(['purchase_agreement', 'shipped', 'received', 'inspected', 'completed']);

const CUSTOMER_READ_ONLY = 'customer cannot be changed on a programme submission: it is the account holder who submitted it.';

/**
 * Moves that belong to the customer programme's own actions: an offer (sent_to_customer) is made
 * with POST /api/{tenant}/offers, and only the customer accepts it (purchase_agreement). The dealer
 * API may not make them for a programme trade-in (it would leave the offer pending, or accept an
 * expired one on the customer's behalf).
 */
function assertDealerMove(program: TradeInProgram | null, target: TradeInStatus): void {
  if (!program) return;
  if (target === 'purchase_agreement') {
    throw conflict('Only the customer accepts the offer of a programme submission (POST /api/{tenant}/offers/{id} with action "accept").');
  }
  if (target === 'sent_to_customer') throw conflict('Offers on a programme submission are made with POST /api/{tenant}/offers, which sends them to the customer.');
}

/** Who changes a trade-in: staff (a user) or a programme customer / the system (userId null). */
export interface Actor {
  tenantId: number;
  userId: number | null;
}

/** The parts of a write: entity values to set, the API path of each, and a requested status. */
interface Changes {
  values: Partial<TradeIn>;
  paths: Map<string, keyof TradeIn>;
  status?: TradeInStatus;
}

@Injectable()
export class TradeInsService {
  private readonly columns: string[];
  /** The representation, declared once (trade-in.view.ts) and compiled per properties[] selection. */
  private readonly view: ViewObject;
  /** Collection and item SQL and renderers, built once per filter/order/properties shape. */
  private readonly pages: CollectionCompiler<CompiledView>;

  constructor(
    private readonly ds: DataSource,
    private readonly tx: TxService,
    private readonly idempotency: IdempotencyService,
    private readonly counts: TradeInCounts,
  ) {
    this.columns = ds.getMetadata(TradeIn).columns.map((c) => c.propertyName);
    this.view = tradeInView(ds);
    this.pages = new CollectionCompiler<CompiledView>(
      ds,
      () => ds.getRepository(TradeIn).createQueryBuilder('t'),
      (properties) => {
        const view = compileView(this.view, properties as PropertyTree | null);
        // Only the columns the selection renders (plus id and version for the ETag), and only the joins they need.
        const query = ds.getRepository(TradeIn).createQueryBuilder('t').select('t.id', rawKey('t.id')).addSelect('t.version', rawKey('t.version'));
        for (const alias of new Set(view.columns.map((c) => c.split('.')[0]))) if (alias !== 't') query.leftJoin(`t.${alias}`, alias);
        for (const c of view.columns) if (c !== 't.id' && c !== 't.version') query.addSelect(c, rawKey(c));
        return { query, view };
      },
    );
  }

  // ---------------------------------------------------------------- reading

  async list(req: Request, p: Principal): Promise<CollectionResult> {
    const q = readQuery(req);
    const pagination = parsePagination(q);
    const properties = parseProperties(q.properties);
    const shape = new QueryShape().andWhere('t.tenantId = :tenantId', { tenantId: p.tenantId });
    applyFilters(shape, TRADE_IN_SPEC, q);
    const keys = applyOrder(shape, TRADE_IN_SPEC, q);
    const { rows, view, total, hasNext } = await this.pages.fetch(shape, keys, properties, pagination, (sql, params) => this.counts.count(sql, params));
    return new CollectionResult('TradeIn', new RenderedRows(rows, view), total, pagination, hasNext, q);
  }

  /** The representation of one trade-in (read through `em`, e.g. inside the write's transaction), with its ETag. */
  private async present(em: EntityManager, tenantId: number, id: number, properties: PropertyTree | null = null, status?: number): Promise<ItemResult> {
    const { rows, view } = await this.pages.byIds(em, tenantId, [id], properties);
    if (rows.length === 0) throw notFound(`Trade-in ${id} was not found.`);
    return new ItemResult(new RenderedRows(rows, view), {
      status,
      etag: etagOf(Number(rows[0][rawKey('t.version')])),
      location: status === 201 ? iriOf('trade-ins', id) : undefined,
    });
  }

  /** The outbox event of a write (database/outbox.ts), in its transaction: the representation as of the change. */
  private async recordChange(em: EntityManager, tenantId: number, id: number, actor: Actor, change: Partial<TradeInStatusChange> | null): Promise<void> {
    const { rows, view } = await this.pages.byIds(em, tenantId, [id], null);
    const tradeIn = new RenderedRows(rows, view).as(false)[0];
    const who = actor.userId === null ? null : iriOf('users', actor.userId);
    if (!change) await recordEvent(em, tenantId, 'trade_in.updated', iriOf('trade-ins', id), { tradeIn, actor: who }, id);
    else
      await recordEvent(
        em,
        tenantId,
        change.fromStatus ? 'trade_in.status_changed' : 'trade_in.created',
        iriOf('trade-ins', id),
        { from: change.fromStatus, to: change.toStatus, actor: who, tradeIn },
        id,
      );
  }

  /** Records `trade_in.created` for a trade-in another part of the application inserted (the programme's submissions). */
  created(em: EntityManager, tenantId: number, id: number): Promise<void> {
    return this.recordChange(em, tenantId, id, { tenantId, userId: null }, { fromStatus: null, toStatus: 'not_done' });
  }

  /** Some columns of one trade-in of the tenant, or 404. */
  private async find<K extends keyof TradeIn>(em: EntityManager, tenantId: number, id: number, columns: K[]): Promise<Pick<TradeIn, K>> {
    const select = Object.fromEntries(columns.map((c) => [c, true])) as FindOptionsSelect<TradeIn>;
    const t = await em.getRepository(TradeIn).findOne({ where: { id, tenantId }, select });
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
    const t = await em.getRepository(TradeIn).findOne({ where: { id, tenantId }, lock: this.tx.lockMode() });
    if (!t) throw notFound(`Trade-in ${id} was not found.`);
    return t;
  }

  /** The trade-in's programme row (null for dealer-entered trade-ins), locked after the trade-in row. */
  lockProgram(em: EntityManager, tenantId: number, tradeInId: number): Promise<TradeInProgram | null> {
    return em.getRepository(TradeInProgram).findOne({ where: { tradeInId, tenantId }, lock: this.tx.lockMode() });
  }

  /** For sub-resources (pictures, comments, history): 404 unless the trade-in exists in the tenant. */
  async assertExists(em: EntityManager, tenantId: number, id: number): Promise<void> {
    if (!(await existsInTenant(em, TradeIn, id, tenantId))) throw notFound(`Trade-in ${id} was not found.`);
  }

  async get(req: Request, p: Principal, id: number): Promise<ItemResult> {
    return this.present(this.ds.manager, p.tenantId, id, parseProperties(readQuery(req).properties));
  }

  /** The appraisal maths on the stored inputs (see appraisal.ts for the formula). */
  async appraisal(p: Principal, id: number): Promise<ItemResult> {
    const t = await this.find(this.ds.manager, p.tenantId, id, ['id', 'marketPrice', 'daysToSale', 'dailyDepreciationRate', 'refurbishCostEstimate', 'margin']);
    return new ItemResult(ldNode('Appraisal', { iri: `${iriOf('trade-ins', id)}/appraisal`, ...appraise(t) }));
  }

  async history(p: Principal, id: number): Promise<ListResult> {
    await this.assertExists(this.ds.manager, p.tenantId, id);
    const rows = await this.ds.getRepository(TradeInStatusChange).find({
      where: { tradeInId: id, tenantId: p.tenantId },
      relations: { changedBy: true },
      order: { id: 'ASC' },
    });
    return new ListResult('StatusChange', rows.map(serializeStatusChange));
  }

  // ---------------------------------------------------------------- input

  /** A reject reason as a code or a `/api/v3/reject-reasons/{code}` IRI; anything else, or an unknown code, is a violation. */
  private async rejectReasonCode(em: EntityManager, raw: string | null | undefined, violations: Violation[]) {
    if (raw === undefined || raw === null) return raw;
    const isIri = /^(\/|https?:)/i.test(raw);
    const iri = isIri ? splitIri(raw) : null;
    const code = !isIri ? raw : iri?.resource === 'reject-reasons' ? iri.id : '';
    const known = /^[a-z0-9_]{1,64}$/.test(code) && (await em.getRepository(RejectReason).existsBy({ code }));
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
      if (!(await existsInTenant(em, entity, id, p.tenantId))) {
        throw badRequest(`The "${field}" field references ${iriOf(resource, id)}, which does not exist.`);
      }
      set(field, fk, id);
    }
    return { values, paths, status: input.status };
  }

  /** What the entry requirements read besides the trade-in; `program` when the caller already holds it (the programme's moves). */
  private async requirementContext(em: EntityManager, tenantId: number, tradeInId?: number, program?: TradeInProgram | null): Promise<RequirementContext> {
    const locationCount = await em.getRepository(Location).countBy({ tenantId });
    if (program === undefined) program = tradeInId ? await em.getRepository(TradeInProgram).findOneBy({ tradeInId, tenantId }) : null;
    return { locationCount, program };
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
    for (const c of this.columns) {
      const k = c as keyof TradeIn;
      if (!sameValue(before[k], after[k])) diff[c] = after[k];
    }
    if (Object.keys(diff).length === 0 && !change) return false;
    Object.assign(diff, { updatedAt: now, updatedById: p.userId, version: before.version + 1 });
    await em.getRepository(TradeIn).update({ id: before.id, tenantId: p.tenantId }, diff);
    Object.assign(after, { updatedAt: now, updatedById: p.userId, version: before.version + 1 });
    if (change) await insertRow(em, TradeInStatusChange, change);
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
        const t = em.getRepository(TradeIn).create({
          tenantId: p.tenantId,
          status: 'not_done',
          priceExVat: false,
          isVatExempt: false,
          vmVehicleType: 'PC',
          createdAt: now,
          createdById: p.userId,
          updatedAt: now,
          updatedById: p.userId,
          version: 1,
          ...changes.values,
        } as TradeIn);
        const target = changes.status ?? 'not_done';
        t.status = target;
        if (target !== 'not_done') violations.push(...unmetRequirements(target, t, await this.requirementContext(em, p.tenantId)));
        if (violations.length) throw new ValidationFailed(violations);
        if (LOCKED.has(target)) this.sign(t, p, now);
        // A plain INSERT (no re-read of defaults: every value is set above); the joined re-read below is the answer.
        t.id = await insertRow(em, TradeIn, t);
        this.counts.changed(em);
        await insertRow(em, TradeInStatusChange, this.statusChange(t, null, p, now));
        const result = await this.present(em, p.tenantId, t.id, null, 201);
        await recordEvent(
          em,
          p.tenantId,
          'trade_in.created',
          iriOf('trade-ins', t.id),
          { from: null, to: t.status, actor: iriOf('users', p.userId), tradeIn: (result.item as RenderedRows).as(false)[0] },
          t.id,
        );
        return { id: t.id, location: iriOf('trade-ins', t.id), result };
      },
      (id) => this.present(this.ds.manager, p.tenantId, id, null, 201),
    );
  }

  async patch(req: Request, p: Principal, id: number, body: unknown): Promise<ItemResult> {
    const input = validateObject(TradeInInput, body);
    return this.tx.run(async (em) => {
      const before = await this.lockRow(em, p.tenantId, id);
      const program = await this.lockProgram(em, p.tenantId, id);
      checkIfMatch(req, before.version);
      const violations: Violation[] = [];
      const changes = await this.collect(em, p, input, violations);
      const target = changes.status ?? before.status;
      const moving = target !== before.status;
      if (moving && !canMove(before.status, target)) {
        throw conflict(`A trade-in in status "${before.status}" cannot move to "${target}".`);
      }
      if (moving) assertDealerMove(program, target);
      if (program && changes.values.customerId !== undefined && !sameValue(before.customerId, changes.values.customerId)) {
        violations.push({ propertyPath: 'customer', message: CUSTOMER_READ_ONLY, code: 'read_only' });
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
      const after = Object.assign(em.getRepository(TradeIn).create(before), changes.values);
      const now = new Date();
      let change = null;
      if (moving) {
        violations.push(...unmetRequirements(target, after, await this.requirementContext(em, p.tenantId, id, program)));
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
      const program = await this.lockProgram(em, p.tenantId, id);
      checkIfMatch(req, before.version);
      if (before.status === target) return this.present(em, p.tenantId, id); // safe retry: no-op
      if (!canMove(before.status, target)) {
        throw conflict(`A trade-in in status "${before.status}" cannot move to "${target}".`);
      }
      assertDealerMove(program, target);
      const violations: Violation[] = [];
      const after = em.getRepository(TradeIn).create(before);
      const now = new Date();
      const rejectReason = reason ? await this.rejectReasonCode(em, reason.rejectReason, violations) : undefined;
      const change = this.enter(after, target, p, now, reason && { rejectReason, rejectReasonMetaText: reason.rejectReasonMetaText });
      violations.push(...unmetRequirements(target, after, await this.requirementContext(em, p.tenantId, id, program)));
      if (violations.length) throw new ValidationFailed(violations);
      await this.persist(em, before, after, p, now, change);
      return this.present(em, p.tenantId, id);
    });
  }

  /**
   * A status move made by another part of the application (the customer programme), inside its
   * transaction, on a row it locked: the same table, requirements, side effects and history.
   * `values` are trade-in fields set together with the move; `program` the programme facts the
   * requirements should see (after the caller's changes).
   */
  async transition(
    em: EntityManager,
    actor: Actor,
    before: TradeIn,
    target: TradeInStatus,
    opts: { values?: Partial<TradeIn>; program?: TradeInProgram | null; reason?: { rejectReason?: string | null; rejectReasonMetaText?: string | null } } = {},
  ): Promise<TradeIn> {
    if (!canMove(before.status, target)) throw conflict(`A trade-in in status "${before.status}" cannot move to "${target}".`);
    const after = Object.assign(em.getRepository(TradeIn).create(before), opts.values ?? {});
    const now = new Date();
    const change = this.enter(after, target, actor, now, opts.reason);
    const violations = unmetRequirements(target, after, await this.requirementContext(em, actor.tenantId, before.id, opts.program));
    if (violations.length) throw new ValidationFailed(violations);
    await this.persist(em, before, after, actor, now, change);
    return after;
  }

  /** Writes field changes without a status move (same versioning as a PATCH). */
  async update(em: EntityManager, actor: Actor, before: TradeIn, values: Partial<TradeIn>): Promise<TradeIn> {
    const after = Object.assign(em.getRepository(TradeIn).create(before), values);
    await this.persist(em, before, after, actor, new Date(), null);
    return after;
  }

  async remove(req: Request, p: Principal, id: number): Promise<void> {
    await this.tx.run(async (em) => {
      const t = await this.lockRow(em, p.tenantId, id);
      const program = await this.lockProgram(em, p.tenantId, id);
      checkIfMatch(req, t.version);
      if (program && (ACCEPTED.has(t.status) || program.creditIssuedAt)) {
        throw conflict(`Trade-in ${id} is a programme submission the customer has accepted (status "${t.status}"): it cannot be deleted. Move it to no_deal instead.`);
      }
      await em.getRepository(TradeIn).delete({ id, tenantId: p.tenantId });
      await recordEvent(em, p.tenantId, 'trade_in.deleted', iriOf('trade-ins', id), { tradeIn: { id, iri: iriOf('trade-ins', id) }, actor: iriOf('users', p.userId) }, id);
    });
  }
}
