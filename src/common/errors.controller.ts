import { Controller, Get, Param } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from './principal';
import { ERROR_DESCRIPTIONS, notFound, titleFor } from './errors';
import { ldNode } from './jsonld';
import { ItemResult } from './responses';

/**
 * Error `type` URIs resolve (as API Platform serves /errors/{status}): what each type means.
 * Left out of the OpenAPI document like API Platform's error resource (a path there would read
 * as one more resource to generators and api-doc-parser).
 */
@ApiExcludeController()
@Controller('errors')
export class ErrorsController {
  @Get(':status')
  @Public()
  describe(@Param('status') status: string) {
    const code = /^[0-9]{3}$/.test(status) ? Number(status) : 0;
    const description = ERROR_DESCRIPTIONS[code];
    if (!description) throw notFound(`No error type "${status.slice(0, 10)}".`);
    return new ItemResult(ldNode('ErrorType', { iri: `/errors/${code}`, status: code, title: titleFor(code), description }));
  }
}
