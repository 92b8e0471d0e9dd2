import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { badRequest, Violation } from '../common/errors';
import { iriOf, parseIdIri, splitIri } from '../common/iri';
import { Customer } from '../customers/customer.entity';
import { Location } from '../locations/location.entity';
import { RejectReasonsRepository } from '../reject-reasons/reject-reasons.repository';
import { TradeInInput } from './trade-in.dto';
import { TradeIn, TradeInStatus } from './trade-in.entity';
import { NESTED, RELATIONS, TOP_FIELDS } from './trade-in.fields';
import { TradeInsRepository } from './trade-ins.repository';

/** The parts of a write: entity values to set, the API path of each, and a requested status. */
export interface Changes {
  values: Partial<TradeIn>;
  paths: Map<string, keyof TradeIn>;
  status?: TradeInStatus;
}

/** A validated body → entity values, with what needs the database: reject reasons and the IRIs of related rows. */
@Injectable()
export class TradeInInputService {
  constructor(
    private readonly tradeIns: TradeInsRepository,
    private readonly rejectReasons: RejectReasonsRepository,
  ) {}

  /** A reject reason as a code or a `/api/v3/reject-reasons/{code}` IRI; anything else, or an unknown code, is a violation. */
  async rejectReasonCode(em: EntityManager, raw: string | null | undefined, violations: Violation[]) {
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
  async collect(em: EntityManager, tenantId: number, input: TradeInInput, violations: Violation[]): Promise<Changes> {
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
      if (!(await this.tradeIns.referenceExists(em, entity, tenantId, id))) {
        throw badRequest(`The "${field}" field references ${iriOf(resource, id)}, which does not exist.`);
      }
      set(field, fk, id);
    }
    return { values, paths, status: input.status };
  }
}
