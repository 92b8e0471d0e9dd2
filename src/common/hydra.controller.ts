import { Controller, Get, Param, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from './principal';
import { notFound } from './errors';
import { hydra, JsonLdDocument, requestOrigin } from './hydra';

/**
 * Hydra discovery as API Platform serves it: the entrypoint, the API documentation and a
 * JSON-LD context per class (see hydra.ts). Public, like the OpenAPI document.
 */
@ApiExcludeController()
@Controller('api/v3')
@Public()
export class HydraController {
  @Get()
  entrypoint() {
    return new JsonLdDocument(hydra()!.entrypoint());
  }

  @Get('docs.jsonld')
  documentation(@Req() req: Request) {
    return new JsonLdDocument(hydra()!.documentation(requestOrigin(req), { title: 'Trade-in API', description: 'Salesfront-compatible vehicle trade-in API (API Platform conventions).' }));
  }

  @Get('contexts/:type')
  context(@Req() req: Request, @Param('type') type: string) {
    const context = hydra()!.context(type, requestOrigin(req));
    if (!context) throw notFound(`No JSON-LD context "${type.slice(0, 40)}".`);
    return new JsonLdDocument(context);
  }
}
