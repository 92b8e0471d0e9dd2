import type { Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

export type HelmetOptions = NonNullable<Parameters<typeof helmet>[0]>;

/**
 * helmet's security headers, chosen by transport. HSTS and CSP's `upgrade-insecure-requests`
 * tell a browser to use https only: sent over plain http they break every page on a
 * non-localhost address (Swagger UI's assets are rewritten to https and fail). So they are sent
 * only when the request came over TLS, directly or through a trusted proxy that says so
 * (TRUST_PROXY + X-Forwarded-Proto: Express's `req.secure`).
 *
 * With these options the headers are the same on every response of one transport (no nonces),
 * so helmet computes each set once, against a recording response.
 */
export function securityHeaders(options: HelmetOptions): RequestHandler {
  const record = (o: HelmetOptions) => {
    const headers: [string, string][] = [];
    const recorder = { setHeader: (name: string, value: unknown) => headers.push([name, String(value)]), removeHeader: () => undefined };
    helmet(o)({} as Request, recorder as unknown as Response, () => undefined);
    return headers;
  };
  const csp = options.contentSecurityPolicy;
  const directives = typeof csp === 'object' ? (csp.directives ?? {}) : {};
  const secure = record(options);
  const plainCsp = { ...(typeof csp === 'object' ? csp : {}), directives: { ...directives, upgradeInsecureRequests: null } };
  // `hsts` is helmet's alias of strictTransportSecurity: giving both is an error.
  const { hsts: _hsts, ...rest } = options;
  const plain = record({ ...rest, contentSecurityPolicy: plainCsp, strictTransportSecurity: false });
  return (req, res, next) => {
    for (const [name, value] of req.secure ? secure : plain) res.setHeader(name, value);
    next();
  };
}
