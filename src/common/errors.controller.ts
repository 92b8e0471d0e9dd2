import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/principal';
import { ERROR_DESCRIPTIONS, notFound, titleFor } from './errors';
import { ldNode } from './jsonld';
import { ApiItemDocs } from './openapi.decorators';
import { ItemResult } from './responses';

export class ErrorTypeView {
  @ApiProperty({ description: 'The error type URI, as in the `type` of a problem document.', example: '/errors/409', type: String }) iri: string;
  @ApiProperty({ description: 'HTTP status of this error type.', example: 409, type: Number }) status: number;
  @ApiProperty({ description: 'Short summary.', example: 'Conflict', type: String }) title: string;
  @ApiProperty({ description: 'What it means and what to do.', example: 'The request conflicts with the state of the resource.', type: String }) description: string;
}

/** Error `type` URIs resolve (as API Platform serves /errors/{status}): what each type means. */
@ApiTags('Errors')
@Controller('errors')
export class ErrorsController {
  @Get(':status')
  @Public()
  @ApiOperation({ summary: 'Describe an error type', description: 'The `type` of every error body (`/errors/409`) resolves here: what the error means and what to do. No key needed.' })
  @ApiParam({ name: 'status', description: 'HTTP status code of the error type.', example: '409', schema: { type: 'string', pattern: '^[0-9]{3}$' } })
  @ApiItemDocs(ErrorTypeView)
  describe(@Param('status') status: string) {
    const code = /^[0-9]{3}$/.test(status) ? Number(status) : 0;
    const description = ERROR_DESCRIPTIONS[code];
    if (!description) throw notFound(`No error type "${status.slice(0, 10)}".`);
    return new ItemResult(ldNode('ErrorType', { iri: `/errors/${code}`, status: code, title: titleFor(code), description }));
  }
}
