import type { NextFunction, Request, RequestHandler, Response } from 'express';
import expressStaticGzip from 'express-static-gzip';
import { existsSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { ApiError } from '../common/errors';
import { securityHeaders } from '../platform/static-helmet';

/** Where `npm run build` puts the admin (admin/build.mjs): dist/admin, from src/admin-ui (ts-node, jest) and dist/admin-ui alike. */
export const ADMIN_DIR = resolve(__dirname, '..', '..', 'dist', 'admin');

/**
 * The admin's Content-Security-Policy: its script and styles from this origin (MUI writes its styles
 * into <style> elements, hence 'unsafe-inline' for styles only), API calls to this origin, and
 * thumbnails of the trade-ins' pictures, which are absolute http(s) URLs on the dealers' own hosts.
 * Nothing else: no inline script, no eval, no frames, no plugins, forms post nowhere.
 */
export const ADMIN_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'https:', 'http:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
  baseUri: ["'self'"],
};

/**
 * The staff admin at /admin: the static files of dist/admin, brotli or gzip as the browser accepts
 * (compressed at build time), with the admin's own CSP. `index.html` and `main.js` keep their names
 * across builds, so they are revalidated (ETag) on each load; hashed chunks are cached for good.
 */
export function adminUi(dir = ADMIN_DIR): RequestHandler[] {
  return [
    securityHeaders({ contentSecurityPolicy: { directives: ADMIN_CSP } }),
    // The page loads ./main.js: /admin must become /admin/ so that it resolves under /admin.
    (req: Request, res: Response, next: NextFunction) => (req.originalUrl.split('?')[0] === '/admin' ? res.redirect(301, '/admin/') : next()),
    (_req: Request, _res: Response, next: NextFunction) =>
      next(existsSync(join(dir, 'index.html')) ? undefined : new ApiError(404, 'The admin has not been built on this server: run `npm run build`.')),
    expressStaticGzip(dir, {
      enableBrotli: true,
      orderPreference: ['br', 'gzip'],
      index: 'index.html',
      serveStatic: {
        setHeaders: (res: ServerResponse, path: string) => res.setHeader('Cache-Control', /[\\/]chunks[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache'),
      },
    }),
  ];
}
