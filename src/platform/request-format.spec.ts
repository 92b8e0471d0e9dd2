import { CanActivate, Controller, ExecutionContext, Get, Injectable, Module, Post, Req, UseGuards } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import { IncomingMessage } from 'node:http';
import request from 'supertest';
import { ApiExpressAdapter } from './express-adapter';
import { ApiError } from '../common/errors';
import { ldNode } from '../common/jsonld';
import { negotiate } from '../common/negotiation';
import { ProblemFilter } from '../common/problem.filter';
import { ItemResult } from '../common/responses';

/*
 * Tripwire: the negotiated format is cached on Express's request object as `req._format`
 * (src/common/negotiation.ts), and the programme marks its requests `_format = 'json'` in a
 * middleware before the body parsers (src/upgrade/program.guard.ts) so that everything after —
 * guards, handlers, the adapter's reply(), the exception filter — answers plain JSON. That holds
 * while no library uses the name and the same request object travels from the first middleware
 * to the filter.
 */
type Marked = express.Request & { _format?: string | null };
const seen: { where: string; req: Marked }[] = [];

@Injectable()
class RecordingGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    seen.push({ where: 'guard', req: context.switchToHttp().getRequest<Marked>() });
    return true;
  }
}

@Controller('things')
@UseGuards(RecordingGuard)
class ThingsController {
  @Post()
  create(@Req() req: Marked) {
    seen.push({ where: 'handler', req });
    return new ItemResult(ldNode('Thing', { id: 1, iri: '/api/v3/things/1' }), { status: 201 });
  }

  @Get('broken')
  broken(@Req() req: Marked) {
    seen.push({ where: 'handler', req });
    throw new ApiError(409, 'Conflicting thing.');
  }
}

@Module({ controllers: [ThingsController], providers: [RecordingGuard, { provide: APP_FILTER, useClass: ProblemFilter }] })
class ThingsModule {}

let app: NestExpressApplication;
let first: Marked[] = [];

beforeAll(async () => {
  app = await NestFactory.create<NestExpressApplication>(ThingsModule, new ApiExpressAdapter(), { logger: false, bodyParser: false });
  app.use((req: Marked, _res: express.Response, next: express.NextFunction) => {
    if (req.headers['x-mark'] === 'json') req._format = 'json';
    first.push(req);
    next();
  });
  app.use(express.json({ type: ['application/json', 'application/ld+json'] }));
  app.use(express.urlencoded({ extended: true }));
  await app.init();
});
afterAll(() => app.close());
beforeEach(() => {
  seen.length = 0;
  first = [];
});

describe('tripwire: the negotiated format cached on the request as _format', () => {
  it('neither Express’s request prototype nor Node’s IncomingMessage has a _format of its own', () => {
    expect('_format' in express.request).toBe(false);
    expect('_format' in IncomingMessage.prototype).toBe(false);
  });

  it('the request a middleware marked is the one the body parser, guard and handler see', async () => {
    await request(app.getHttpServer()).post('/things').set('X-Mark', 'json').set('Accept', 'application/ld+json').send({ a: 1 }).expect(201);
    expect(seen.map((s) => s.where)).toEqual(['guard', 'handler']);
    for (const { req } of seen) {
      expect(req).toBe(first[0]);
      expect(req._format).toBe('json');
      expect(req.body).toEqual({ a: 1 });
    }
  });

  it('a marked request is answered in plain JSON whatever Accept says, by the adapter and by the exception filter', async () => {
    const ok = await request(app.getHttpServer()).post('/things').set('X-Mark', 'json').set('Accept', 'application/ld+json').send({}).expect(201);
    expect(ok.headers['content-type']).toBe('application/json; charset=utf-8');
    const failed = await request(app.getHttpServer()).get('/things/broken').set('X-Mark', 'json').set('Accept', 'application/ld+json').expect(409);
    expect(failed.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  });

  it('an unmarked request is negotiated from Accept, and the answer is cached on it', async () => {
    const ld = await request(app.getHttpServer()).get('/things/broken').set('Accept', 'application/ld+json').expect(409);
    expect(ld.headers['content-type']).toBe('application/ld+json; charset=utf-8');
    expect(first[0]._format).toBe('jsonld');
    const req = { headers: { accept: 'application/json' }, accepts: () => 'application/json' } as unknown as Marked;
    expect(negotiate(req)).toBe('json');
    expect(req._format).toBe('json');
  });
});
