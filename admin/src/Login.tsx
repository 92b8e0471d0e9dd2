import { Box, Button, Card, CardContent, TextField, Typography } from '@mui/material';
import { FormEvent, useState } from 'react';
import { useLogin, useNotify } from 'react-admin';

/** Sign-in with the tenant (dealer group) slug, e-mail and password; the API's message is shown when it refuses. */
export function LoginPage() {
  const login = useLogin();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    login({ tenant: String(data.get('tenant') ?? ''), username: String(data.get('email') ?? ''), password: String(data.get('password') ?? '') }).catch((err: Error) => {
      setBusy(false);
      setError(err.message);
      notify(err.message, { type: 'error' });
    });
  };
  return (
    <Box component="main" sx={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', bgcolor: '#eef1f5', p: 2 }}>
      <Card sx={{ width: '100%', maxWidth: 400 }}>
        <CardContent>
          <Typography component="h1" variant="h5" gutterBottom>
            Trade-in admin
          </Typography>
          <form onSubmit={submit} aria-label="Sign in">
            <TextField name="tenant" label="Dealer group" defaultValue="default" fullWidth margin="normal" required />
            <TextField name="email" type="email" label="E-mail" autoComplete="username" fullWidth margin="normal" required autoFocus />
            <TextField name="password" type="password" label="Password" autoComplete="current-password" fullWidth margin="normal" required />
            {error && (
              <Typography role="alert" color="error" sx={{ whiteSpace: 'pre-line', mt: 1 }}>
                {error}
              </Typography>
            )}
            <Button type="submit" variant="contained" fullWidth disabled={busy} sx={{ mt: 2 }}>
              Sign in
            </Button>
          </form>
        </CardContent>
      </Card>
    </Box>
  );
}
