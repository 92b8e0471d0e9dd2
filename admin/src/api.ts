import { useCallback, useEffect, useState } from 'react';
import { authHeaders, problemMessage } from './session';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A JSON call to the API with the staff session: the body and the ETag; a refusal becomes an ApiFailure carrying the API's own message. */
export async function fetchJson<T>(path: string, init: RequestInit = {}): Promise<{ data: T; etag: string | null }> {
  const res = await fetch(new URL(path, window.location.origin), {
    ...init,
    headers: { Accept: 'application/json', ...(init.body ? { 'Content-Type': 'application/json' } : {}), ...authHeaders(), ...(init.headers ?? {}) },
  });
  if (!res.ok) throw new ApiFailure(res.status, await problemMessage(res));
  return { data: (res.status === 204 ? null : await res.json()) as T, etag: res.headers.get('ETag') };
}

/** A JSON call to the API with the staff session (see fetchJson), its body only. */
export async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  return (await fetchJson<T>(path, init)).data;
}

/**
 * GET `path` and keep the answer with its ETag (the version a conditional write sends back as
 * If-Match); `reload` fetches again (after a write).
 */
export function useApi<T>(path: string | null) {
  const [data, setData] = useState<T | null>(null);
  const [etag, setEtag] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!path) return;
    let live = true;
    fetchJson<T>(path)
      .then((d) => live && (setData(d.data), setEtag(d.etag), setError(null)))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [path, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data, etag, error, reload };
}
