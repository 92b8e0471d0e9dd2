import { Alert, Box, Button, Card, CardContent, Chip, Grid, MenuItem, Stack, TextField as MuiTextField, Typography } from '@mui/material';
import { FormEvent, MouseEvent, ReactNode, useEffect, useState } from 'react';
import {
  Datagrid,
  DateField,
  DateInput,
  Edit,
  FunctionField,
  List,
  NumberField,
  NumberInput,
  ReferenceInput,
  AutocompleteInput,
  SelectInput,
  Show,
  SimpleForm,
  TextField,
  TextInput,
  BooleanInput,
  useNotify,
  usePermissions,
  useRecordContext,
  useRefresh,
  EditButton,
  Link,
  useCreatePath,
  TopToolbar,
  Toolbar,
  SaveButton,
} from 'react-admin';
import { ApiFailure, call, useApi } from './api';

export const STATUSES = ['not_done', 'ready_for_appraisal', 'done', 'sent_to_customer', 'purchase_agreement', 'no_deal', 'shipped', 'received', 'inspected', 'completed'];
const statusChoices = STATUSES.map((s) => ({ id: s, name: s.replace(/_/g, ' ') }));
const LOCKED = new Set(['done', 'sent_to_customer', 'purchase_agreement', 'shipped', 'received', 'inspected', 'completed']);

type Rec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const euros = { style: 'currency', currency: 'EUR' } as const;

// Every filter of the API's hydra:search that a sales manager uses; the nested sources become
// `vehicleModel.make=…`, `purchasePrice[gte]=…`, `createdAt[after]=…` in @api-platform/admin's data provider.
const filters = [
  <SelectInput key="status" source="status" label="Status" choices={statusChoices} alwaysOn />,
  <TextInput key="make" source="vehicleModel.make" label="Make" alwaysOn />,
  <TextInput key="model" source="vehicleModel.model" label="Model" />,
  <ReferenceInput key="dealership" source="dealership" reference="locations">
    <AutocompleteInput label="Dealership" optionText="name" />
  </ReferenceInput>,
  <ReferenceInput key="customer" source="customer" reference="customers">
    <AutocompleteInput label="Customer" optionText={(c: Rec) => [c.firstName, c.lastName, c.companyName].filter(Boolean).join(' ')} />
  </ReferenceInput>,
  <DateInput key="after" source="createdAt.after" label="Created from" />,
  <DateInput key="before" source="createdAt.before" label="Created until" />,
  <NumberInput key="gte" source="purchasePrice.gte" label="Price from" />,
  <NumberInput key="lte" source="purchasePrice.lte" label="Price up to" />,
];

const vehicleOf = (r?: Rec) => [r?.vehicleModel?.make, r?.vehicleModel?.model].filter(Boolean).join(' ') || 'no vehicle yet';

/** The row's number as a link to the trade-in: a row click needs a mouse, a link is reached with Tab and opened with Enter. */
const OpenLink = () => {
  const r = useRecordContext<Rec>();
  const createPath = useCreatePath();
  if (!r) return null;
  return (
    <Link to={createPath({ resource: 'trade-ins', type: 'show', id: r.id })} onClick={(e: MouseEvent) => e.stopPropagation()} aria-label={`Trade-in ${r.originId}: ${vehicleOf(r)}`}>
      {r.originId}
    </Link>
  );
};

export const TradeInList = () => (
  <List filters={filters} sort={{ field: 'updatedAt', order: 'DESC' }} perPage={25}>
    <Datagrid rowClick="show" bulkActionButtons={false}>
      <FunctionField source="originId" label="#" sortBy="id" render={() => <OpenLink />} />
      <FunctionField source="status" label="Status" render={(r: Rec) => <Chip size="small" label={String(r.status).replace(/_/g, ' ')} />} />
      <TextField source="vehicleModel.make" label="Make" />
      <TextField source="vehicleModel.model" label="Model" />
      <TextField source="vehicleModel.regNr" label="Reg. nr" sortable={false} />
      {/* The API embeds the customer in the trade-in: shown from it, no second request per row. */}
      <FunctionField label="Customer" render={(r: Rec) => (r.customer ? [r.customer.firstName, r.customer.lastName, r.customer.companyName].filter(Boolean).join(' ') : '')} />
      <NumberField source="purchasePrice" label="Purchase price" options={euros} />
      <DateField source="updatedAt" label="Updated" showTime />
    </Datagrid>
  </List>
);

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card variant="outlined" sx={{ mb: 2 }}>
      <CardContent>
        <Typography component="h2" variant="h6" gutterBottom>
          {title}
        </Typography>
        {children}
      </CardContent>
    </Card>
  );
}

function Facts({ rows }: { rows: [string, unknown][] }) {
  return (
    <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: 'minmax(8rem, max-content) 1fr', columnGap: 2, rowGap: 0.5, m: 0 }}>
      {rows.map(([k, v]) => (
        <Box key={k} sx={{ display: 'contents' }}>
          <Box component="dt" sx={{ color: 'text.secondary' }}>
            {k}
          </Box>
          <Box component="dd" sx={{ m: 0 }}>
            {v === null || v === undefined || v === '' ? '—' : String(v)}
          </Box>
        </Box>
      ))}
    </Box>
  );
}

const money = (v: unknown) => (v === null || v === undefined ? null : Number(v).toLocaleString('en-GB', euros));

function Vehicle() {
  const r = useRecordContext<Rec>();
  const v = r?.vehicleModel ?? {};
  return (
    <Section title="Vehicle">
      <Facts
        rows={[
          ['Make', v.make],
          ['Model', v.model],
          ['Reg. nr', v.regNr],
          ['VIN', v.vinCode],
          ['First registration', v.firstRegistrationDate],
          ['Mileage (km)', v.mileage],
          ['Fuel', v.fuel],
          ['Gearbox', v.gearbox],
          ['Colour', v.color],
        ]}
      />
    </Section>
  );
}

function Condition() {
  const c: Rec = useRecordContext<Rec>()?.condition ?? {};
  const label = (k: string) => k.replace(/([A-Z0-9]+)/g, ' $1').toLowerCase();
  return (
    <Section title="Condition">
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
        {Object.entries(c).map(([k, v]) => (
          <Chip key={k} label={`${label(k)}: ${v === null ? 'unknown' : v ? 'yes' : 'no'}`} color={v === true ? 'success' : 'default'} variant={v === null ? 'outlined' : 'filled'} />
        ))}
      </Stack>
    </Section>
  );
}

function Prices() {
  const r = useRecordContext<Rec>();
  return (
    <Section title="Prices">
      <Facts
        rows={[
          ['Asking price', money(r?.customerAskingPrice)],
          ['Purchase price', money(r?.purchasePrice)],
          ['Market price', money(r?.marketPrice)],
          ['VAT exempt', r?.isVatExempt === null || r?.isVatExempt === undefined ? null : r.isVatExempt ? 'yes' : 'no'],
        ]}
      />
    </Section>
  );
}

function Appraisal() {
  const r = useRecordContext<Rec>();
  const { data, error } = useApi<Rec>(r ? `${r.id}/appraisal` : null);
  return (
    <Section title="Appraisal">
      {error && <Alert severity="warning">{error}</Alert>}
      {data && (
        <Facts
          rows={[
            ['Market value on sales day', money(data.marketValueOnSalesDay)],
            ['Suggested purchase price', money(data.suggestedPurchasePrice)],
            ['Depreciation', money(data.depreciation)],
            ['Margin', money(data.marginAmount)],
            ['Missing', (data.missing ?? []).join(', ')],
          ]}
        />
      )}
    </Section>
  );
}

function Pictures() {
  const r = useRecordContext<Rec>();
  const { data, error } = useApi<Rec[]>(r ? `${r.id}/pictures` : null);
  return (
    <Section title="Pictures">
      {error && <Alert severity="warning">{error}</Alert>}
      {data?.length === 0 && <Typography color="text.secondary">No pictures.</Typography>}
      <Box component="ul" sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(140px, 1fr))', gap: 1, p: 0, m: 0, listStyle: 'none' }}>
        {data?.map((p) => {
          const type = p.pictureType ? String(p.pictureType).split('/').pop() : 'untyped';
          return (
            <li key={p.id}>
              <a href={p.url} target="_blank" rel="noreferrer noopener">
                <img src={p.url} alt={`Picture ${p.position}: ${type}`} loading="lazy" style={{ width: '100%', height: 100, objectFit: 'cover', borderRadius: 4, background: '#ddd' }} />
              </a>
              <Typography variant="caption">
                {p.position}. {type}
              </Typography>
            </li>
          );
        })}
      </Box>
    </Section>
  );
}

/**
 * The comments thread: add (POST appends) and edit. An edit is a PATCH of the whole thread (the API
 * has no per-comment write), so it is sent with If-Match: the ETag of the thread as shown. A thread
 * that changed meanwhile (a comment added or edited by someone else) is refused with 412 instead of
 * being overwritten; the thread is read again and the edit stays open with the text typed.
 */
function Comments() {
  const r = useRecordContext<Rec>();
  const { permissions } = usePermissions();
  const notify = useNotify();
  const { data, etag, error, reload } = useApi<Rec[]>(r ? `${r.id}/comments` : null);
  const [editing, setEditing] = useState<number | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const canWrite = permissions && permissions !== 'readonly';
  // An edit whose comment is gone after a re-read (the thread was replaced meanwhile) closes; the alert says why.
  useEffect(() => {
    if (editing !== null && data && !data.some((c) => c.id === editing)) setEditing(null);
  }, [data, editing]);
  const add = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const text = String(new FormData(form).get('comment') ?? '');
    call(`${r!.id}/comments`, { method: 'POST', body: JSON.stringify([{ comment: text }]) })
      .then(() => (form.reset(), reload(), notify('Comment added', { type: 'success' })))
      .catch((err: Error) => notify(err.message, { type: 'error' }));
  };
  const save = (e: FormEvent<HTMLFormElement>, id: number) => {
    e.preventDefault();
    const text = String(new FormData(e.currentTarget).get('comment') ?? '');
    // PATCH replaces the whole thread: every comment as shown, the edited one changed.
    const all = (data ?? []).map((c) => ({ comment: c.id === id ? text : c.comment }));
    call(`${r!.id}/comments`, { method: 'PATCH', headers: etag ? { 'If-Match': etag } : {}, body: JSON.stringify(all) })
      .then(() => (setEditing(null), setConflict(null), reload(), notify('Comment saved', { type: 'success' })))
      .catch((err: ApiFailure) => {
        if (err.status !== 412) return notify(err.message, { type: 'error' });
        setConflict('Someone changed the comments while you were editing. They are shown as they are now: check them and save again.');
        reload();
      });
  };
  return (
    <Section title="Comments">
      {error && <Alert severity="warning">{error}</Alert>}
      {conflict && (
        <Alert severity="warning" role="alert" onClose={() => setConflict(null)}>
          {conflict}
        </Alert>
      )}
      <Box component="ol" sx={{ pl: 2 }}>
        {data?.map((c, i) => (
          <li key={c.id}>
            {editing === c.id ? (
              <form onSubmit={(e) => save(e, c.id)} aria-label={`Edit comment ${i + 1}`}>
                <MuiTextField name="comment" label={`Comment ${i + 1}`} defaultValue={c.comment} multiline fullWidth size="small" required autoFocus />
                <Button type="submit">Save</Button>
                <Button onClick={() => setEditing(null)}>Cancel</Button>
              </form>
            ) : (
              <Box sx={{ mb: 1 }}>
                <Typography sx={{ whiteSpace: 'pre-line' }}>{c.comment}</Typography>
                <Typography variant="caption" color="text.secondary">
                  {c.createdBy?.name ?? 'unknown'} · {new Date(c.createdAt).toLocaleString()}
                </Typography>
                {canWrite && (
                  <Button size="small" onClick={() => setEditing(c.id)} aria-label={`Edit comment ${i + 1}`}>
                    Edit
                  </Button>
                )}
              </Box>
            )}
          </li>
        ))}
      </Box>
      {canWrite && (
        <form onSubmit={add}>
          <MuiTextField name="comment" label="New comment" multiline fullWidth size="small" required />
          <Button type="submit" variant="contained" sx={{ mt: 1 }}>
            Add comment
          </Button>
        </form>
      )}
    </Section>
  );
}

function History() {
  const r = useRecordContext<Rec>();
  const { data, error } = useApi<Rec[]>(r ? `${r.id}/history?itemsPerPage=100` : null);
  return (
    <Section title="Status history">
      {error && <Alert severity="warning">{error}</Alert>}
      <Box component="ol" sx={{ borderLeft: '2px solid #90a4ae', pl: 2, ml: 1, listStyle: 'none' }}>
        {data?.map((h) => (
          <li key={h.id} style={{ marginBottom: 8 }}>
            <Typography>
              {h.from ? `${String(h.from).replace(/_/g, ' ')} → ` : 'created as '}
              <strong>{String(h.to).replace(/_/g, ' ')}</strong>
              {h.rejectReason ? ` (${h.rejectReason})` : ''}
            </Typography>
            <Typography variant="caption" color="text.secondary">
              {new Date(h.changedAt).toLocaleString()} · {h.changedBy?.name ?? 'unknown'}
            </Typography>
          </li>
        ))}
      </Box>
    </Section>
  );
}

interface Move {
  slug: string;
  status: string;
  unmet: { propertyPath: string; message: string }[];
  takes: string[];
}

/** The moves the status machine allows from here, as buttons; a refused move shows the API's reasons. */
function StatusButtons() {
  const r = useRecordContext<Rec>();
  const refresh = useRefresh();
  const notify = useNotify();
  const { permissions } = usePermissions();
  const { data, reload } = useApi<{ moves: Move[] }>(r ? `${r.id}/status-moves` : null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [asking, setAsking] = useState<Move | null>(null);
  const reasons = useApi<Rec[]>(asking ? '/api/v3/reject-reasons' : null);
  if (!r || permissions === 'readonly') return null;
  const move = (m: Move, body?: Rec) =>
    call(`${r.id}/status/${m.slug}`, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, ...(body ? { body: JSON.stringify(body) } : {}) })
      .then(() => (setRefusal(null), setAsking(null), notify(`Moved to ${m.status.replace(/_/g, ' ')}`, { type: 'success' }), reload(), refresh()))
      .catch((err: Error) => setRefusal(err.message));
  const noDeal = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    move(asking!, { rejectReason: String(f.get('rejectReason') ?? ''), rejectReasonMetaText: String(f.get('rejectReasonMetaText') ?? '') || null });
  };
  return (
    <Section title={`Status: ${String(r.status).replace(/_/g, ' ')}`}>
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
        {data?.moves.map((m) => (
          <Button key={m.slug} variant="outlined" onClick={() => (m.takes.length ? setAsking(m) : move(m))} title={m.unmet.map((u) => `${u.propertyPath}: ${u.message}`).join('\n') || undefined}>
            {m.status.replace(/_/g, ' ')}
          </Button>
        ))}
        {data && data.moves.length === 0 && <Typography color="text.secondary">No further moves.</Typography>}
      </Stack>
      {asking && (
        <Box component="form" onSubmit={noDeal} aria-label="Reject reason" sx={{ mt: 2, display: 'flex', gap: 1, flexWrap: 'wrap' }}>
          <MuiTextField name="rejectReason" label="Reject reason" select size="small" required defaultValue="" sx={{ minWidth: 220 }}>
            {(reasons.data ?? []).map((x) => (
              <MenuItem key={x.code} value={x.code}>
                {x.label ?? x.code}
              </MenuItem>
            ))}
          </MuiTextField>
          <MuiTextField name="rejectReasonMetaText" label="Details" size="small" />
          <Button type="submit" variant="contained" color="warning">
            Move to no deal
          </Button>
          <Button onClick={() => setAsking(null)}>Cancel</Button>
        </Box>
      )}
      {refusal && (
        <Alert severity="error" role="alert" sx={{ mt: 1, whiteSpace: 'pre-line' }}>
          {refusal}
        </Alert>
      )}
    </Section>
  );
}

const ShowActions = () => {
  const { permissions } = usePermissions();
  return <TopToolbar>{permissions !== 'readonly' && <EditButton />}</TopToolbar>;
};

const tradeInTitle = (r?: Rec) => (r ? `Trade-in ${r.originId ?? ''}: ${vehicleOf(r)}` : 'Trade-in');
const ShowTitle = () => <>{tradeInTitle(useRecordContext<Rec>())}</>;

export const TradeInShow = () => (
  <Show actions={<ShowActions />} title={<ShowTitle />}>
    <Box sx={{ p: 2 }}>
      <StatusButtons />
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, md: 6 }}>
          <Vehicle />
          <Condition />
          <Prices />
          <Appraisal />
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <Pictures />
          <Comments />
          <History />
        </Grid>
      </Grid>
    </Box>
  </Show>
);

/** Locked after done: every field but the VIN is read-only; the API's 422 violations appear beside the fields. */
function TradeInForm() {
  const r = useRecordContext<Rec>();
  const locked = LOCKED.has(r?.status);
  return (
    // Save only: deleting is an admin's decision, from the API (and MUI's red on the toolbar's grey fails contrast).
    <SimpleForm
      toolbar={
        <Toolbar>
          <SaveButton />
        </Toolbar>
      }
    >
      {locked && <Alert severity="info">This trade-in is {String(r?.status).replace(/_/g, ' ')}: only the VIN may change. Reopen it to edit the rest.</Alert>}
      <TextInput source="vehicleModel.make" label="Make" readOnly={locked} />
      <TextInput source="vehicleModel.model" label="Model" readOnly={locked} />
      <TextInput source="vehicleModel.regNr" label="Reg. nr" readOnly={locked} />
      <TextInput source="vehicleModel.vinCode" label="VIN" />
      <NumberInput source="vehicleModel.mileage" label="Mileage (km)" readOnly={locked} />
      <NumberInput source="customerAskingPrice" label="Asking price" readOnly={locked} />
      <NumberInput source="purchasePrice" label="Purchase price" readOnly={locked} />
      <BooleanInput source="isVatExempt" label="VAT exempt" readOnly={locked} />
      <TextInput source="note" label="Note" multiline fullWidth readOnly={locked} />
    </SimpleForm>
  );
}

export const TradeInEdit = () => (
  <Edit mutationMode="pessimistic" title={<ShowTitle />}>
    <TradeInForm />
  </Edit>
);
