import { Controller, Get, Param } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/principal';
import { notFound } from './errors';
import { ItemResult } from './responses';

const TYPES = new Set(['TradeIn', 'Customer', 'Location', 'User', 'ApiKey', 'RejectReason', 'PictureType', 'Picture', 'Comment', 'StatusChange', 'Error', 'ErrorType', 'Entrypoint']);

/** Minimal JSON-LD contexts so the `@context` IRIs in responses resolve. */
@ApiExcludeController()
@Controller('api/v3/contexts')
export class ContextsController {
  @Get(':type')
  @Public()
  context(@Param('type') type: string) {
    if (!TYPES.has(type)) throw notFound(`No JSON-LD context "${type.slice(0, 40)}".`);
    const body = { '@context': { '@vocab': '/api/docs.json#', hydra: 'http://www.w3.org/ns/hydra/core#' } };
    return new ItemResult(body);
  }
}
