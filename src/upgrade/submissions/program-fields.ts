import { ValidationFailed, violation } from '../../common/errors';
import type { Actor } from '../../trade-ins/trade-ins.service';
import type { Caller } from '../program.guard';

/**
 * The trade-in requirements a programme move can miss (by their path in the status machine), as
 * the programme's own fields and words: the customer never sees a trade-in field or status.
 */
const PROGRAM_REQUIREMENTS: Record<string, { field: string; message: string }> = {
  'vehicleModel.make': { field: 'make', message: 'make is required.' },
  'vehicleModel.model': { field: 'model', message: 'model is required.' },
  'vehicleModel.firstRegistrationDate': { field: 'first_registration_date', message: 'first_registration_date is required.' },
  'vehicleModel.mileage': { field: 'mileage', message: 'mileage is required.' },
  'vehicleModel.regNr': { field: 'serial_number', message: 'serial_number (or reg_nr) is required.' },
  dealership: { field: 'location_id', message: 'location_id is required: the dealer has more than one location.' },
  purchasePrice: { field: 'amount', message: 'amount is required.' },
  customer: { field: 'customer', message: "the submission's customer is required." },
  'program.conditionGrade': { field: 'condition', message: 'condition (excellent, good, fair or poor) is required.' },
};

/**
 * Runs a move of the trade-in (TradeInsService) for the programme: the violations of its unmet
 * requirements are answered as the programme's own (PROGRAM_REQUIREMENTS, looked up by their path),
 * any other error as it is.
 */
export async function asProgramMove<T>(move: () => Promise<T>): Promise<T> {
  try {
    return await move();
  } catch (e) {
    if (!(e instanceof ValidationFailed) || !e.violations) throw e;
    throw new ValidationFailed(
      e.violations.map((v) => {
        const own = PROGRAM_REQUIREMENTS[v.propertyPath];
        return own ? violation(own.field, own.message, v.code) : v;
      }),
    );
  }
}

export const isStaff = (c: Caller) => !!c.staff;
/** Who the trade-ins service records as acting: staff by their user, customers by their dealer-side customer record. */
export const actorOf = (c: Caller): Actor => ({ tenantId: c.tenant.id, userId: c.staff?.userId ?? null, customerId: c.staff ? null : (c.customer?.customerId ?? null) });
