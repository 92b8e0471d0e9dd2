import { SimpleResource } from '../database/crud';
import { iriOf } from '../common/iri';
import { ldNode } from '../common/jsonld';
import { isoTimestamp } from '../common/serialize';
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
};
