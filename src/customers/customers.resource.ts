import { SimpleResource } from '../database/crud';
import { iriOf } from '../common/iri';
import { ldNode } from '../common/jsonld';
import { isoTimestamp } from '../common/serialize';
import { Customer } from './customer.entity';

export function serializeCustomer(c: Customer) {
  return ldNode('Customer', {
    id: c.id,
    iri: iriOf('customers', c.id),
    firstName: c.firstName,
    lastName: c.lastName,
    companyName: c.companyName,
    email: c.email,
    phone: c.phone,
    personalCode: c.personalCode,
    address: c.address,
    createdAt: isoTimestamp(c.createdAt),
    updatedAt: isoTimestamp(c.updatedAt),
  });
}

export const customersResource: SimpleResource<Customer> = {
  entity: Customer,
  resource: 'customers',
  type: 'Customer',
  alias: 'c',
  spec: {
    // Names sort and match by their folded copies (see common/search-text.ts): the same on both engines.
    order: { id: 'c.id', lastName: 'c.lastNameSearch', firstName: 'c.firstNameSearch', companyName: 'c.companyNameSearch', createdAt: 'c.createdAt', updatedAt: 'c.updatedAt' },
    exact: { email: { column: 'c.email' }, phone: { column: 'c.phone' }, personalCode: { column: 'c.personalCode' } },
    partial: {
      firstName: { column: 'c.firstNameSearch', fold: true, index: 'ix_customers_tenant_id_first_name_search' },
      lastName: { column: 'c.lastNameSearch', fold: true, index: 'ix_customers_tenant_id_last_name_search' },
      companyName: { column: 'c.companyNameSearch', fold: true, index: 'ix_customers_tenant_id_company_name_search' },
    },
    date: { createdAt: 'c.createdAt', updatedAt: 'c.updatedAt' },
    defaultOrder: [['c.id', 'DESC']],
  },
  serialize: serializeCustomer,
  invariants: (c) => (c.lastName || c.companyName ? [] : [{ propertyPath: 'lastName', message: 'A customer needs a lastName or a companyName.', code: 'required' }]),
};
