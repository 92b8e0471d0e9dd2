// Customers and dealerships (locations): the guessed list stays, the forms are written out so that
// every input has a person's label, the title names the record (the guesser showed its IRI), and
// the API's 422 violations appear beside the inputs (App.tsx's create/update turn them into errors; the
// browser's own checks are off so that the API's message, the one rule, is what a person reads).
import { SaveButton, SimpleForm, TextInput, Toolbar, Create, Edit, DeleteButton, useRecordContext, usePermissions } from 'react-admin';
import { Stack } from '@mui/material';
import type { ReactNode } from 'react';

type Rec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const customerName = (c?: Rec) => (c ? [c.firstName, c.lastName].filter(Boolean).join(' ') || c.companyName || `Customer ${c.originId ?? ''}` : 'Customer');
const locationName = (l?: Rec) => (l ? l.name || `Location ${l.originId ?? ''}` : 'Location');

/** Save, and delete (admin or manager; the API explains a 409 when trade-ins still reference the record). */
const FormToolbar = () => {
  const record = useRecordContext();
  const { permissions } = usePermissions();
  return (
    <Toolbar sx={{ justifyContent: 'space-between' }}>
      <SaveButton />
      {record?.id && permissions !== 'readonly' && <DeleteButton mutationMode="pessimistic" />}
    </Toolbar>
  );
};

const Row = ({ children }: { children: ReactNode }) => (
  <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} useFlexGap sx={{ width: '100%' }}>
    {children}
  </Stack>
);

function CustomerForm() {
  return (
    <SimpleForm toolbar={<FormToolbar />} noValidate>
      <Row>
        <TextInput source="firstName" label="First name" />
        <TextInput source="lastName" label="Last name" helperText="A customer needs a last name or a company name" />
      </Row>
      <TextInput source="companyName" label="Company name" />
      <Row>
        <TextInput source="email" label="E-mail" type="email" />
        <TextInput source="phone" label="Phone" />
      </Row>
      <TextInput source="personalCode" label="Personal or registry code" />
      <TextInput source="address" label="Address" fullWidth />
    </SimpleForm>
  );
}

function LocationForm() {
  return (
    <SimpleForm toolbar={<FormToolbar />} noValidate>
      <Row>
        <TextInput source="name" label="Name" />
        <TextInput source="code" label="Code" />
      </Row>
      <TextInput source="address" label="Street address" fullWidth />
      <Row>
        <TextInput source="city" label="City" />
        <TextInput source="country" label="Country" helperText="Two letters, e.g. EE" />
      </Row>
      <Row>
        <TextInput source="phone" label="Phone" />
        <TextInput source="email" label="E-mail" type="email" />
      </Row>
    </SimpleForm>
  );
}

const CustomerTitle = () => <>{customerName(useRecordContext<Rec>())}</>;
const LocationTitle = () => <>{locationName(useRecordContext<Rec>())}</>;

export const CustomerCreate = () => (
  <Create title="New customer" redirect="list">
    <CustomerForm />
  </Create>
);
export const CustomerEdit = () => (
  <Edit mutationMode="pessimistic" title={<CustomerTitle />} redirect="list">
    <CustomerForm />
  </Edit>
);
export const LocationCreate = () => (
  <Create title="New location" redirect="list">
    <LocationForm />
  </Create>
);
export const LocationEdit = () => (
  <Edit mutationMode="pessimistic" title={<LocationTitle />} redirect="list">
    <LocationForm />
  </Edit>
);
