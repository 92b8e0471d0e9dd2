import { Alert, Box, Button, Card, CardContent, Chip, MenuItem, Stack, Tab, Tabs, TextField, Typography } from '@mui/material';
import { FormEvent, ReactElement, useState } from 'react';
import { Title, useNotify, usePermissions } from 'react-admin';
import { call, useApi } from './api';
import { session } from './session';

type Rec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const QUEUE = ['submitted', 'offered', 'accepted', 'shipped', 'received', 'inspected'] as const;
const euros = (v: unknown) => (v === null || v === undefined ? '—' : Number(v).toLocaleString('en-GB', { style: 'currency', currency: 'EUR' }));
const base = () => `/api/${session()?.tenant ?? 'default'}`;

/** The action a submission in each queue status waits for from staff, as a small form. */
function Action({ s, done }: { s: Rec; done: () => void }) {
  const notify = useNotify();
  const [error, setError] = useState<string | null>(null);
  const submit = (path: string, body: (f: FormData) => Rec, message: string) => (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    call(`${base()}${path}`, { method: 'POST', body: JSON.stringify(body(f)) })
      .then(() => (setError(null), notify(message, { type: 'success' }), done()))
      .catch((err: Error) => setError(err.message));
  };
  const num = (f: FormData, k: string) => (f.get(k) === '' || f.get(k) === null ? undefined : Number(f.get(k)));
  const text = (f: FormData, k: string) => String(f.get(k) ?? '').trim() || undefined;
  let form: ReactElement | null = null;
  if (s.status === 'submitted')
    form = (
      <form onSubmit={submit('/offers', (f) => ({ submission_id: s.id, amount: num(f, 'amount'), notes: text(f, 'notes') }), 'Offer sent to the customer')} aria-label={`Offer for ${s.id}`}>
        <Typography variant="body2" sx={{ mb: 1 }}>
          Automatic quote: <strong>{euros(s.quoted_value)}</strong>
        </Typography>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} useFlexGap>
          <TextField
            name="amount"
            label="Offer amount (EUR)"
            type="number"
            size="small"
            required
            defaultValue={s.quoted_value ?? ''}
            sx={{ width: { sm: 200 } }}
            slotProps={{ htmlInput: { step: '0.01', min: '0' } }}
          />
          <TextField name="notes" label="Notes for the customer" size="small" sx={{ flex: 1, minWidth: 200 }} />
          <Button type="submit" variant="contained" sx={{ flexShrink: 0 }}>
            Send offer
          </Button>
        </Stack>
      </form>
    );
  else if (s.status === 'shipped')
    form = (
      <form onSubmit={submit(`/submissions/${s.id}/receive`, () => ({}), 'Marked as received')}>
        <Button type="submit" variant="contained">
          Mark received
        </Button>
      </form>
    );
  else if (s.status === 'received')
    form = (
      <form
        onSubmit={submit(`/submissions/${s.id}/inspect`, (f) => ({ grade: text(f, 'grade'), final_value: num(f, 'final_value'), notes: text(f, 'notes') }), 'Inspection recorded')}
        aria-label={`Inspection of ${s.id}`}
      >
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} useFlexGap>
          <TextField name="grade" label="Grade" select size="small" required defaultValue={s.condition ?? 'good'} sx={{ minWidth: 140 }}>
            {['excellent', 'good', 'fair', 'poor'].map((g) => (
              <MenuItem key={g} value={g}>
                {g}
              </MenuItem>
            ))}
          </TextField>
          <TextField name="final_value" label="Final value (EUR)" type="number" size="small" slotProps={{ htmlInput: { step: '0.01', min: '0' } }} />
          <TextField name="notes" label="Inspection notes" size="small" sx={{ flex: 1 }} />
          <Button type="submit" variant="contained">
            Record inspection
          </Button>
        </Stack>
      </form>
    );
  else if (s.status === 'inspected')
    form = (
      <form
        onSubmit={submit(`/submissions/${s.id}/complete`, (f) => ({ credit_type: text(f, 'credit_type'), reference: text(f, 'reference') }), 'Completed: credit issued')}
        aria-label={`Completion of ${s.id}`}
      >
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} useFlexGap>
          <TextField name="credit_type" label="Credit" select size="small" required defaultValue="store_credit" sx={{ minWidth: 160 }}>
            <MenuItem value="store_credit">store credit</MenuItem>
            <MenuItem value="refund">refund</MenuItem>
          </TextField>
          <TextField name="reference" label="Reference" size="small" />
          <Button type="submit" variant="contained">
            Complete
          </Button>
        </Stack>
      </form>
    );
  return (
    <>
      {form}
      {error && (
        <Alert severity="error" role="alert" sx={{ mt: 1, whiteSpace: 'pre-line' }}>
          {error}
        </Alert>
      )}
    </>
  );
}

function Queue({ changed }: { changed: () => void }) {
  const [status, setStatus] = useState<(typeof QUEUE)[number]>('submitted');
  const { permissions } = usePermissions();
  const { data, error, reload } = useApi<Rec[]>(`${base()}/submissions?status=${status}&itemsPerPage=50`);
  return (
    <Card sx={{ mb: 2 }}>
      <CardContent>
        <Typography component="h2" variant="h6">
          Submission queue
        </Typography>
        <Tabs value={status} onChange={(_e, v: (typeof QUEUE)[number]) => setStatus(v)} variant="scrollable" aria-label="Programme status">
          {QUEUE.map((q) => (
            <Tab key={q} value={q} label={q} />
          ))}
        </Tabs>
        {error && <Alert severity="warning">{error}</Alert>}
        {data?.length === 0 && <Typography sx={{ mt: 2 }}>Nothing is {status}.</Typography>}
        {data?.map((s) => (
          <Box key={s.id} component="section" aria-label={`Submission ${s.id}`} sx={{ borderBottom: '1px solid #ddd', py: 2 }}>
            <Stack direction="row" spacing={1} useFlexGap sx={{ mb: 1, flexWrap: 'wrap', alignItems: 'center' }}>
              <Typography component="h3" variant="subtitle1" sx={{ fontWeight: 600 }}>
                {[s.make, s.model].filter(Boolean).join(' ') || s.product_id || s.id}
              </Typography>
              <Chip size="small" label={s.status} />
              {s.condition && <Chip size="small" variant="outlined" label={`condition: ${s.condition}`} />}
              <Typography variant="body2" color="text.secondary">
                {s.id} · {new Date(s.created_at).toLocaleDateString()} · quote {euros(s.quoted_value)}
                {s.offer ? ` · offer ${euros(s.offer.amount)} (${s.offer.status})` : ''}
              </Typography>
            </Stack>
            {permissions !== 'readonly' && <Action s={s} done={() => (reload(), changed())} />}
          </Box>
        ))}
      </CardContent>
    </Card>
  );
}

/** Bars drawn with boxes: a person compares lengths faster than numbers, and no chart library is needed for this. */
function Bars({ title, values, format = String }: { title: string; values: [string, number][]; format?: (n: number) => string }) {
  const max = Math.max(1, ...values.map(([, v]) => v));
  return (
    <Box component="figure" sx={{ m: 0, mb: 2 }}>
      <Typography component="figcaption" variant="subtitle2" sx={{ mb: 1 }}>
        {title}
      </Typography>
      {values.map(([k, v]) => (
        <Box key={k} sx={{ display: 'grid', gridTemplateColumns: '10rem 1fr 5rem', alignItems: 'center', gap: 1, mb: 0.5 }}>
          <Typography variant="body2">{k}</Typography>
          <Box sx={{ bgcolor: '#e0e7ee', height: 14, borderRadius: 1 }}>
            <Box sx={{ bgcolor: '#1b6f7a', height: 14, borderRadius: 1, width: `${(100 * v) / max}%` }} />
          </Box>
          <Typography variant="body2" sx={{ textAlign: 'right' }}>
            {format(v)}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}

function Stats() {
  const { data, error } = useApi<Rec>(`${base()}/admin/stats`);
  const hours = (s: number) => (s < 3600 ? `${Math.round(s / 60)} min` : s < 172800 ? `${(s / 3600).toFixed(1)} h` : `${(s / 86400).toFixed(1)} d`);
  return (
    <Card>
      <CardContent>
        <Typography component="h2" variant="h6" gutterBottom>
          Programme statistics
        </Typography>
        {error && <Alert severity="warning">{error}</Alert>}
        {data && (
          <>
            <Typography sx={{ mb: 2 }}>
              {data.submissions} submissions · acceptance rate {data.acceptance_rate === null ? '—' : `${Math.round(data.acceptance_rate * 100)} %`} · offers {data.offers.count} (
              {euros(data.offers.total)}) · credits {data.credits.count} ({euros(data.credits.total)})
            </Typography>
            <Bars title="Submissions by status" values={Object.entries(data.by_status as Record<string, number>)} />
            <Bars title="Offers by status" values={Object.entries(data.offers_by_status as Record<string, number>)} />
            <Bars
              title="Median time per stage"
              values={(data.stage_times as Rec[]).filter((t) => t.median_seconds !== null).map((t) => [`${t.from} → ${t.to}`, t.median_seconds as number])}
              format={hours}
            />
          </>
        )}
      </CardContent>
    </Card>
  );
}

export function ProgrammePage() {
  // The statistics are read again after each action in the queue.
  const [version, setVersion] = useState(0);
  return (
    <Box sx={{ p: { xs: 1, md: 2 } }}>
      <Title title="Customer programme" />
      <Queue changed={() => setVersion((v) => v + 1)} />
      <Stats key={version} />
    </Box>
  );
}
