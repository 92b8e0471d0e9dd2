import { CollectionSpec } from '../common/collection';
import { TRADE_IN_STATUS_VALUES } from './trade-in.statuses';

/** The trade-in collection's filters and orders: one declaration for the SQL, OpenAPI and Hydra. */
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
    status: { column: 't.status', values: TRADE_IN_STATUS_VALUES },
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
