import { Alert, Box, Button, Card, CardContent, Stack, TextField as MuiTextField, Typography } from '@mui/material';
import { FormEvent, useEffect, useState } from 'react';
import {
  Create,
  Datagrid,
  DateField,
  DeleteWithConfirmButton,
  Edit,
  HttpError,
  List,
  NumberField,
  NumberInput,
  SaveButton,
  SimpleForm,
  TextField,
  TextInput,
  Title,
  Toolbar,
  TopToolbar,
  CreateButton,
  useNotify,
  usePermissions,
  useRecordContext,
} from 'react-admin';
import { modifiers } from './programmeData';

type Rec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const euros = { style: 'currency', currency: 'EUR' } as const;
const GRADES = ['excellent', 'good', 'fair', 'poor'] as const;

const filters = [
  <TextInput key="make" source="make" label="Make" alwaysOn />,
  <TextInput key="model" source="model" label="Model" alwaysOn />,
  <TextInput key="product" source="product_id" label="Product id" />,
];

const ListActions = () => {
  const { permissions } = usePermissions();
  return <TopToolbar>{permissions && permissions !== 'readonly' && <CreateButton />}</TopToolbar>;
};

/** The programme's catalogue: base values (excellent condition) per make, model and years, from which quotes are made. */
export const ValuationList = () => {
  const { permissions } = usePermissions();
  return (
    <List filters={filters} sort={{ field: 'make', order: 'ASC' }} perPage={25} actions={<ListActions />} title="Valuations" empty={false}>
      <Datagrid rowClick={permissions === 'readonly' ? false : 'edit'} bulkActionButtons={false}>
        <TextField source="make" label="Make" />
        <TextField source="model" label="Model" />
        <NumberField source="year_from" label="From year" options={{ useGrouping: false }} />
        <NumberField source="year_to" label="To year" options={{ useGrouping: false }} sortable={false} />
        <NumberField source="base_value" label="Base value" options={euros} />
        <TextField source="product_id" label="Product id" sortable={false} emptyText="—" />
        <DateField source="updated_at" label="Updated" sortable={false} />
      </Datagrid>
    </List>
  );
};

function ValuationForm() {
  return (
    // Save, and delete only on an existing valuation (quotes already made keep their value).
    <SimpleForm
      noValidate
      toolbar={
        <Toolbar sx={{ justifyContent: 'space-between' }}>
          <SaveButton />
          <DeleteIfSaved />
        </Toolbar>
      }
    >
      <TextInput source="make" label="Make" helperText="Matched case-insensitively" />
      <TextInput source="model" label="Model" helperText="Matched case-insensitively" />
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} useFlexGap>
        <NumberInput source="year_from" label="From year" step={1} helperText="First registration, inclusive" />
        <NumberInput source="year_to" label="To year" step={1} helperText="Inclusive" />
      </Stack>
      <NumberInput source="base_value" label="Base value (EUR)" step={0.01} helperText="In excellent condition; the grade's modifier applies" />
      <TextInput source="product_id" label="Product id" helperText="Optional: submissions may name it" />
    </SimpleForm>
  );
}

const DeleteIfSaved = () => {
  const r = useRecordContext<Rec>();
  return r?.id ? <DeleteWithConfirmButton mutationMode="pessimistic" confirmTitle={`Delete the valuation of ${r.make} ${r.model}?`} /> : null;
};

const ValuationTitle = () => {
  const r = useRecordContext<Rec>();
  return <>{r ? `Valuation: ${r.make} ${r.model} ${r.year_from}–${r.year_to}` : 'Valuation'}</>;
};

export const ValuationCreate = () => (
  <Create title="New valuation" redirect="list">
    <ValuationForm />
  </Create>
);

export const ValuationEdit = () => (
  <Edit mutationMode="pessimistic" title={<ValuationTitle />} redirect="list">
    <ValuationForm />
  </Edit>
);

/** The percent of the base value each condition grade quotes; one set per dealer group. Only changed grades are sent. */
export function ConditionModifiersPage() {
  const notify = useNotify();
  const { permissions } = usePermissions();
  const [values, setValues] = useState<Record<string, number> | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    modifiers
      .get()
      .then(setValues)
      .catch((e: Error) => setFailure(e.message));
  }, []);
  const readOnly = permissions === 'readonly';
  const save = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const changed: Record<string, number | null> = {};
    for (const g of GRADES) {
      const raw = String(f.get(g) ?? '').trim();
      const value = raw === '' ? null : Number(raw);
      if (value !== values?.[g]) changed[g] = value;
    }
    modifiers
      .put(changed)
      .then((v) => (setValues(v), setErrors({}), setFailure(null), notify('Condition modifiers saved', { type: 'success' })))
      .catch((err: HttpError) => {
        const fieldErrors = (err.body?.errors ?? {}) as Record<string, string>;
        setErrors(fieldErrors);
        setFailure(Object.keys(fieldErrors).length ? null : err.message);
      });
  };
  return (
    <Box sx={{ p: { xs: 1, md: 2 } }}>
      <Title title="Condition modifiers" />
      <Card sx={{ maxWidth: 640 }}>
        <CardContent>
          <Typography component="h2" variant="h6" gutterBottom>
            Condition modifiers
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            The percent of a valuation&apos;s base value that the automatic quote offers for each condition grade (0–200, two decimals). Later quotes use the new values; quotes already made keep
            theirs.
          </Typography>
          {failure && (
            <Alert severity="error" role="alert" sx={{ mb: 2, whiteSpace: 'pre-line' }}>
              {failure}
            </Alert>
          )}
          {values && (
            <form onSubmit={save} aria-label="Condition modifiers" noValidate>
              <Stack spacing={2}>
                {GRADES.map((g) => (
                  <MuiTextField
                    key={g}
                    name={g}
                    label={`${g[0].toUpperCase()}${g.slice(1)} (%)`}
                    type="number"
                    defaultValue={values[g]}
                    error={Boolean(errors[g])}
                    helperText={errors[g] ?? ' '}
                    slotProps={{ htmlInput: { step: '0.01', readOnly } }}
                  />
                ))}
              </Stack>
              {!readOnly && (
                <Button type="submit" variant="contained" sx={{ mt: 1 }}>
                  Save
                </Button>
              )}
            </form>
          )}
        </CardContent>
      </Card>
    </Box>
  );
}
