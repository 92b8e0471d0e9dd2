import { EntityManager } from 'typeorm';
import { SimpleResource } from '../common/crud';
import { iriOf } from '../common/iri';
import { ldNode } from '../common/jsonld';
import { isoTimestamp } from '../common/serialize';
import { TradeIn } from '../trade-ins/trade-in.entity';
import { Location } from './location.entity';

export function serializeLocation(l: Location) {
  return ldNode('Location', {
    id: l.id,
    iri: iriOf('locations', l.id),
    name: l.name,
    code: l.code,
    address: l.address,
    city: l.city,
    country: l.country,
    phone: l.phone,
    email: l.email,
    createdAt: isoTimestamp(l.createdAt),
    updatedAt: isoTimestamp(l.updatedAt),
  });
}

export const locationsResource: SimpleResource<Location> = {
  entity: Location,
  resource: 'locations',
  type: 'Location',
  alias: 'l',
  spec: {
    order: { id: 'l.id', name: 'l.name', city: 'l.city', createdAt: 'l.createdAt' },
    exact: { code: { column: 'l.code' }, country: { column: 'l.country' } },
    partial: { name: 'l.name', city: 'l.city' },
    defaultOrder: [['l.id', 'DESC']],
  },
  serialize: serializeLocation,
  invariants: (l) => (l.name ? [] : [{ propertyPath: 'name', message: 'name is required (a location cannot be left without one)', code: 'required' }]),
  async referencedBy(em: EntityManager, l: Location) {
    const n = await em.getRepository(TradeIn).countBy({ tenantId: l.tenantId, dealershipId: l.id });
    return n ? `Location ${l.id} is still the dealership of ${n} trade-in(s); move or delete them first.` : null;
  },
};
