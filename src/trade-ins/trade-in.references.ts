import { ReferenceCheck } from '../common/references';
import { Customer } from '../customers/customer.entity';
import { Location } from '../locations/location.entity';
import { TradeIn } from './trade-in.entity';

/** A customer or a location cannot be deleted while a trade-in refers to it (common/references.ts). */
export const TRADE_IN_REFERENCE_CHECKS: ReferenceCheck[] = [
  {
    entity: Customer,
    order: 10,
    async check(em, tenantId, id) {
      const n = await em.getRepository(TradeIn).countBy({ tenantId, customerId: id });
      return n ? `Customer ${id} is still referenced by ${n} trade-in(s); detach or delete them first.` : null;
    },
  },
  {
    entity: Location,
    order: 10,
    async check(em, tenantId, id) {
      const n = await em.getRepository(TradeIn).countBy({ tenantId, dealershipId: id });
      return n ? `Location ${id} is still the dealership of ${n} trade-in(s); move or delete them first.` : null;
    },
  },
];
