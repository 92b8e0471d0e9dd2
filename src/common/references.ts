import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { ExtensionPoint } from './extensions';

/**
 * "Is this row still referenced?" for the delete of a simple resource (customers, locations),
 * asked by the feature that holds the reference (trade-ins, the programme), so the referenced
 * feature need not know who refers to it. The first check (lowest `order`) that answers a
 * sentence makes the delete a 409 with it.
 */
export interface ReferenceCheck {
  entity: EntityTarget<ObjectLiteral>;
  order: number;
  check(em: EntityManager, tenantId: number, id: number): Promise<string | null>;
}

export const REFERENCE_CHECKS = new ExtensionPoint<ReferenceCheck>('reference checks');
