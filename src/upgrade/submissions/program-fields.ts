import { ValidationFailed } from '../../common/errors';
import type { Caller } from '../program.guard';
import type { Actor } from '../../trade-ins/trade-ins.service';

/** Requirement paths of the trade-in machine → the programme's field names. */
export const FIELD_NAMES: Record<string, string> = {
  'vehicleModel.make': 'make',
  'vehicleModel.model': 'model',
  'vehicleModel.firstRegistrationDate': 'first_registration_date',
  'vehicleModel.mileage': 'mileage',
  'vehicleModel.regNr': 'serial_number',
  dealership: 'location_id',
  purchasePrice: 'amount',
  customer: 'customer',
  'program.conditionGrade': 'condition',
};

export function renamed<T>(work: () => Promise<T>): Promise<T> {
  return work().catch((e) => {
    if (e instanceof ValidationFailed && e.violations) {
      throw new ValidationFailed(
        e.violations.map((v) => {
          const name = FIELD_NAMES[v.propertyPath];
          return name ? { ...v, propertyPath: name, message: v.message.replace(v.propertyPath, name) } : v;
        }),
      );
    }
    throw e;
  });
}

export const isStaff = (c: Caller) => !!c.staff;
/** Who the trade-ins service records as acting: staff by their user, customers as nobody (null). */
export const actorOf = (c: Caller): Actor => ({ tenantId: c.tenant.id, userId: c.staff?.userId ?? null });
