import type { Request } from 'express';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { Principal } from '../common/principal';
import { CollectionSpec } from '../common/collection';
import type { CollectionQuery } from '../common/collection.decorator';
import { paginate } from './paginate';
import { EventType, recordEvent } from './outbox';
import { conflict, ValidationFailed, Violation } from '../common/errors';
import { checkIfMatch, etagOf } from '../common/etag';
import { Extensions } from '../common/extensions';
import { IdempotencyService } from './idempotency.service';
import { iriOf } from '../common/iri';
import { REFERENCE_CHECKS } from '../common/references';
import { CollectionResult, ItemResult } from '../common/responses';
import { TenantRepository } from './tenant.repository';
import { TxService } from './tx.service';

export interface Versioned extends ObjectLiteral {
  id: number;
  tenantId: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What a simple tenant-scoped resource (customers, locations) declares; the CRUD is shared. */
export interface SimpleResource<E extends Versioned> {
  entity: EntityTarget<E>;
  /** Path segment and IRI prefix, e.g. `customers`. */
  resource: string;
  /** JSON-LD @type, e.g. `Customer`. */
  type: string;
  alias: string;
  spec: CollectionSpec;
  serialize(entity: E): object;
  /** Rules over the whole row (e.g. "a name is required"), checked on the merged state of every create and patch. */
  invariants?(entity: E): Violation[];
}

/**
 * List / get / create / merge-patch / delete for a tenant-scoped resource, with the shared
 * collection filters, ETag + If-Match, Idempotency-Key and 409 on delete of a row still referenced
 * (the REFERENCE_CHECKS of the features that refer to it, common/references.ts).
 */
export class SimpleCrud<E extends Versioned> {
  private readonly rows: TenantRepository<E>;

  constructor(
    private readonly def: SimpleResource<E>,
    private readonly ds: DataSource,
    private readonly tx: TxService,
    private readonly idempotency: IdempotencyService,
    private readonly extensions: Extensions,
  ) {
    this.rows = new TenantRepository(ds, def.entity, def.type);
  }

  /** The sentence of the first reference check that finds the row still referenced, or null. */
  private async referencedBy(em: EntityManager, entity: E): Promise<string | null> {
    const checks = this.extensions
      .all(REFERENCE_CHECKS)
      .filter((c) => c.entity === this.def.entity)
      .sort((a, b) => a.order - b.order);
    for (const c of checks) {
      const reason = await c.check(em, entity.tenantId, entity.id);
      if (reason) return reason;
    }
    return null;
  }

  private repo(em: EntityManager = this.ds.manager) {
    return em.getRepository(this.def.entity);
  }

  list(principal: Principal, q: CollectionQuery): Promise<CollectionResult> {
    const { properties } = q;
    const a = this.def.alias;
    const qb = this.repo().createQueryBuilder(a).where(`${a}.tenantId = :tenantId`, { tenantId: principal.tenantId });
    if (properties) {
      // Read only the selected columns (field names equal the entity's property names here).
      const columns = new Set(this.repo().metadata.columns.map((c) => c.propertyName));
      qb.select([
        `${a}.id`,
        ...Object.keys(properties)
          .filter((k) => k !== 'id' && columns.has(k))
          .map((k) => `${a}.${k}`),
      ]);
    }
    return paginate(qb, q, this.def.type, (row) => this.def.serialize(row));
  }

  find(principal: Principal, id: number, em: EntityManager = this.ds.manager, lock = false): Promise<E> {
    return this.rows.findInTenantOrFail(em, principal.tenantId, id, { lock });
  }

  item(entity: E, status?: number): ItemResult {
    const iri = iriOf(this.def.resource, entity.id);
    return new ItemResult(this.def.serialize(entity), { status, etag: etagOf(entity.version), location: status === 201 ? iri : undefined });
  }

  async get(principal: Principal, id: number): Promise<ItemResult> {
    return this.item(await this.find(principal, id));
  }

  async create(req: Request, principal: Principal, values: Partial<E>): Promise<ItemResult> {
    return this.idempotency.create(
      req,
      principal,
      async (em) => {
        const now = new Date();
        const entity = this.repo(em).create({ ...values, tenantId: principal.tenantId, createdAt: now, updatedAt: now, version: 1 } as E);
        this.checkInvariants(entity);
        const saved = await this.repo(em).save(entity);
        await this.record(em, 'created', saved);
        return { id: saved.id, location: iriOf(this.def.resource, saved.id), result: this.item(saved, 201) };
      },
      async (id) => this.item(await this.find(principal, id), 201),
    );
  }

  async patch(req: Request, principal: Principal, id: number, values: Partial<E>): Promise<ItemResult> {
    const saved = await this.tx.run(async (em) => {
      const entity = await this.find(principal, id, em, true);
      checkIfMatch(req, entity.version);
      Object.assign(entity, values, { updatedAt: new Date(), version: entity.version + 1 });
      this.checkInvariants(entity);
      return this.record(em, 'updated', await this.repo(em).save(entity));
    });
    return this.item(saved);
  }

  /** The outbox event of a write (`customer.created`, `location.deleted`, …), in its transaction. */
  private async record(em: EntityManager, what: 'created' | 'updated' | 'deleted', entity: E): Promise<E> {
    const type = `${this.def.type.toLowerCase()}.${what}` as EventType;
    const node = what === 'deleted' ? { id: entity.id, iri: iriOf(this.def.resource, entity.id) } : this.def.serialize(entity);
    await recordEvent(em, entity.tenantId, type, iriOf(this.def.resource, entity.id), { [this.def.type.toLowerCase()]: node });
    return entity;
  }

  private checkInvariants(entity: E): void {
    const violations = this.def.invariants?.(entity) ?? [];
    if (violations.length) throw new ValidationFailed(violations);
  }

  async remove(req: Request, principal: Principal, id: number): Promise<void> {
    await this.tx.run(async (em) => {
      const entity = await this.find(principal, id, em, true);
      checkIfMatch(req, entity.version);
      const reason = await this.referencedBy(em, entity);
      if (reason) throw conflict(reason);
      await this.repo(em).delete({ id: entity.id, tenantId: principal.tenantId } as never);
      await this.record(em, 'deleted', entity);
    });
  }
}
