import { Controller, Get, Headers, HttpCode, Module, Post, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, NestExpressApplication } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import request from 'supertest';
import { ApiExpressAdapter } from './express-adapter';
import { ldNode } from '../common/jsonld';
import { ItemResult } from '../common/responses';

/*
 * Tripwire: src/common/api-adapter.ts renders results by overriding the Express adapter's
 * reply(response, body, statusCode), which Nest's RouterResponseController calls for every
 * handler result (instead of an interceptor; issue 6: ~6 % of a small request's CPU). It relies on
 * Nest calling reply() with that signature, on Express's response.req and req.fresh.
 */
const calls: { req: unknown; body: unknown; status: number | undefined; responseStatus: number }[] = [];

class RecordingAdapter extends ApiExpressAdapter {
  override reply(response: Response, body: unknown, statusCode?: number) {
    calls.push({ req: response.req, body, status: statusCode, responseStatus: response.statusCode });
    return super.reply(response, body, statusCode);
  }
}

const seen: Request[] = [];

@Controller('things')
class ThingsController {
  @Get('1')
  one(@Req() req: Request, @Headers('x-probe') _probe?: string) {
    seen.push(req);
    return new ItemResult(ldNode('Thing', { id: 1, iri: '/api/v3/things/1', name: 'one' }), { etag: '"7"' });
  }

  @Post()
  create() {
    return new ItemResult(ldNode('Thing', { id: 2, iri: '/api/v3/things/2', name: 'two' }), { status: 201, location: '/api/v3/things/2' });
  }

  @Post('accepted')
  @HttpCode(202)
  accept() {
    return new ItemResult(ldNode('Thing', { id: 3, iri: '/api/v3/things/3', name: 'three' }));
  }

  @Get('plain')
  plain() {
    return { status: 'ok' };
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

let app: NestExpressApplication;

beforeAll(async () => {
  app = await NestFactory.create<NestExpressApplication>(ThingsModule, new RecordingAdapter(), { logger: false });
  await app.init();
});
afterAll(() => app.close());

beforeEach(() => {
  calls.length = 0;
  seen.length = 0;
});

describe('tripwire: the Express adapter renders results in reply()', () => {
  it('the patched method exists on Nest’s Express adapter with the (response, body, statusCode) signature', () => {
    expect(typeof ExpressAdapter.prototype.reply).toBe('function');
    expect(ExpressAdapter.prototype.reply.length).toBe(3);
  });

  it('Nest hands every handler result to reply(), with the response that carries its request', async () => {
    await request(app.getHttpServer()).get('/things/1').set('Accept', 'application/json').expect(200);
    expect(calls).toHaveLength(1);
    expect(calls[0].body).toBeInstanceOf(ItemResult);
    expect(calls[0].req).toBe(seen[0]);
  });

  // @nestjs/core 11.2.10 sets the route's status on the response before the handler runs and calls
  // reply() without one; the adapter's fallback to 200 therefore overrides @HttpCode (see the known bug below).
  it('Nest passes no status code to reply(): the route’s status (@HttpCode, else 201 for POST) is already on the response', async () => {
    await request(app.getHttpServer()).post('/things').set('Accept', 'application/json').expect(201);
    await request(app.getHttpServer()).post('/things/accepted').set('Accept', 'application/json');
    expect(calls.map((c) => [c.status, c.responseStatus])).toEqual([
      [undefined, 201],
      [undefined, 202],
    ]);
  });

  it.failing('known bug: a rendered result without its own status answers the route’s @HttpCode (it answers 200)', async () => {
    await request(app.getHttpServer()).post('/things/accepted').set('Accept', 'application/json').expect(202);
  });

  it('the rendered body is what goes out, in the negotiated format, with Content-Length and the result’s headers', async () => {
    const json = await request(app.getHttpServer()).get('/things/1').set('Accept', 'application/json').expect(200);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(json.headers['content-length']).toBe(String(Buffer.byteLength(json.text)));
    expect(json.headers.etag).toBe('"7"');
    expect(JSON.parse(json.text)).toEqual({ id: 1, iri: '/api/v3/things/1', name: 'one' });

    const ld = await request(app.getHttpServer()).get('/things/1').expect(200);
    expect(ld.headers['content-type']).toBe('application/ld+json; charset=utf-8');
    expect(JSON.parse(ld.text)).toEqual({ '@context': '/api/v3/contexts/Thing', '@id': '/api/v3/things/1', '@type': 'Thing', id: 1, iri: '/api/v3/things/1', name: 'one' });

    const created = await request(app.getHttpServer()).post('/things').set('Accept', 'application/json').expect(201);
    expect(created.headers.location).toBe('/api/v3/things/2');
  });

  it('a conditional GET whose If-None-Match is the ETag is answered 304 without a body (Express’s req.fresh)', async () => {
    const res = await request(app.getHttpServer()).get('/things/1').set('Accept', 'application/json').set('If-None-Match', '"7"').expect(304);
    expect(res.text).toBe('');
    await request(app.getHttpServer()).get('/things/1').set('Accept', 'application/json').set('If-None-Match', '"6"').expect(200);
  });

  it('anything the adapter does not render goes out as Nest’s own reply() sends it', async () => {
    const res = await request(app.getHttpServer()).get('/things/plain').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ status: 'ok' });
  });
});
