import express from 'express';
import helmet from 'helmet';
import request from 'supertest';
import { securityHeaders } from './static-helmet';

/*
 * Tripwire: src/common/transport.ts runs helmet once, at start-up, against a recording fake response
 * (only setHeader/removeHeader, no request), and replays the recorded headers on every request
 * instead of helmet's dozen middleware calls per request (issue 6). That holds while helmet's
 * middleware sets the same headers on every request, synchronously, from nothing but its options.
 * (Over plain http the replay leaves out HSTS and upgrade-insecure-requests on purpose, issue 14:
 * the comparison with helmet is made on requests that arrive as https through a trusted proxy.)
 */
const OPTIONS: Parameters<typeof helmet>[0][] = [
  undefined,
  // the options the app uses
  { contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'] } } },
  { hsts: false, crossOriginEmbedderPolicy: true, referrerPolicy: { policy: 'no-referrer' } },
];

/** The headers an app using `middleware` answers with (the ones Node/Express add themselves removed). */
async function headersOf(middleware: express.RequestHandler, path = '/x', method: 'get' | 'post' = 'get'): Promise<Record<string, string>> {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.use(middleware);
  app.all('/{*any}', (_req, res) => {
    res.status(200).end('ok');
  });
  const res = await request(app)[method](path).set('Origin', 'https://elsewhere.example').set('User-Agent', 'MSIE 8.0').set('X-Forwarded-Proto', 'https');
  const { date: _date, connection: _connection, 'keep-alive': _keepAlive, 'content-length': _length, ...rest } = res.headers as Record<string, string>;
  return rest;
}

describe('tripwire: helmet’s headers computed once, against a fake response', () => {
  it.each(OPTIONS.map((o, i) => [i, o] as const))('replays exactly the headers helmet itself sets on a real request (options #%s)', async (_i, options) => {
    const real = await headersOf(helmet(options));
    expect(Object.keys(real).length).toBeGreaterThan(8);
    expect(await headersOf(securityHeaders(options ?? {}))).toEqual(real);
  });

  it('helmet sets the same headers whatever the request (method, path, headers)', async () => {
    const first = await headersOf(helmet(OPTIONS[1]), '/a');
    expect(await headersOf(helmet(OPTIONS[1]), '/api/v3/trade-ins?x=1', 'post')).toEqual(first);
  });

  it('helmet’s middleware uses only setHeader/removeHeader and calls next() before returning', () => {
    const used: string[] = [];
    const response = new Proxy(
      {},
      {
        get: (_target, name) => {
          used.push(String(name));
          return name === 'setHeader' || name === 'removeHeader' ? () => undefined : undefined;
        },
      },
    );
    let nextCalled = false;
    helmet(OPTIONS[1])({} as express.Request, response as express.Response, () => (nextCalled = true));
    expect(nextCalled).toBe(true);
    expect(new Set(used)).toEqual(new Set(['setHeader', 'removeHeader']));
  });
});
