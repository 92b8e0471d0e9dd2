import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { Collection, CollectionQuery } from '../common/collection.decorator';
import { Auth, Principal, Roles } from '../common/principal';
import { Extensions } from '../common/extensions';
import { SimpleCrud } from '../database/crud';
import { IdempotencyService } from '../database/idempotency.service';
import { ApiCollectionDocs, ApiItemDocs, ApiWriteDocs } from '../common/openapi.decorators';
import { ParseIdPipe } from '../common/params';
import { TxService } from '../database/tx.service';
import { LocationInput, LocationPatch, LocationView } from './location.dto';
import { Location } from './location.entity';
import { locationsResource } from './locations.resource';

@ApiTags('Locations (dealerships)')
@Controller('api/v3/locations')
export class LocationsController {
  private readonly crud: SimpleCrud<Location>;

  constructor(ds: DataSource, tx: TxService, idempotency: IdempotencyService, extensions: Extensions) {
    this.crud = new SimpleCrud(locationsResource, ds, tx, idempotency, extensions);
  }

  @Get()
  @ApiOperation({
    summary: 'List locations (dealerships)',
    description: 'The dealerships of your tenant, referenced by trade-ins as `dealership`. Supports the collection parameters and the declared filters.',
  })
  @ApiCollectionDocs(LocationView, locationsResource.spec)
  list(@Auth() p: Principal, @Collection(locationsResource.spec) q: CollectionQuery) {
    return this.crud.list(p, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a location', description: 'One dealership. `ETag` carries its version for If-Match.' })
  @ApiItemDocs(LocationView)
  get(@Auth() p: Principal, @Param('id', ParseIdPipe) id: number) {
    return this.crud.get(p, id);
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a location (admin)', description: 'Adds a dealership (`name` required). Send `Idempotency-Key` to make retries safe.' })
  @ApiBody({ type: LocationInput })
  @ApiWriteDocs(LocationView, 201)
  create(@Req() req: Request, @Auth() p: Principal, @Body() input: LocationInput) {
    return this.crud.create(req, p, input);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'Update a location (admin, merge patch)', description: 'Only the fields sent change; null clears a field. Send `If-Match` to avoid lost updates.' })
  @ApiBody({ type: LocationPatch })
  @ApiWriteDocs(LocationView, 200)
  patch(@Req() req: Request, @Auth() p: Principal, @Param('id', ParseIdPipe) id: number, @Body() input: LocationPatch) {
    return this.crud.patch(req, p, id, input);
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a location (admin)', description: '409 while a trade-in still uses it as its dealership.' })
  @ApiWriteDocs(null, 204)
  remove(@Req() req: Request, @Auth() p: Principal, @Param('id', ParseIdPipe) id: number) {
    return this.crud.remove(req, p, id);
  }
}
