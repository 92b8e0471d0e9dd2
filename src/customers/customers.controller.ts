import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { Collection, CollectionQuery } from '../common/collection.decorator';
import { Auth, Principal } from '../common/principal';
import { Extensions } from '../common/extensions';
import { SimpleCrud } from '../database/crud';
import { ApiCollectionDocs, ApiItemDocs, ApiWriteDocs } from '../common/openapi.decorators';
import { IdempotencyService } from '../database/idempotency.service';
import { ParseIdPipe } from '../common/params';
import { TxService } from '../database/tx.service';
import { CustomerInput, CustomerPatch, CustomerView } from './customer.dto';
import { Customer } from './customer.entity';
import { customersResource } from './customers.resource';

@ApiTags('Customers')
@Controller('api/v3/customers')
export class CustomersController {
  private readonly crud: SimpleCrud<Customer>;

  constructor(ds: DataSource, tx: TxService, idempotency: IdempotencyService, extensions: Extensions) {
    this.crud = new SimpleCrud(customersResource, ds, tx, idempotency, extensions);
  }

  @Get()
  @ApiOperation({
    summary: 'List customers',
    description: 'Filters: firstName, lastName, companyName (partial); email, phone, personalCode (exact); createdAt/updatedAt dates; order[id|lastName|firstName|companyName|createdAt|updatedAt].',
  })
  @ApiCollectionDocs(CustomerView, customersResource.spec)
  list(@Auth() p: Principal, @Collection(customersResource.spec) q: CollectionQuery) {
    return this.crud.list(p, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a customer', description: 'One customer of your tenant. `ETag` carries its version for If-Match.' })
  @ApiItemDocs(CustomerView)
  get(@Auth() p: Principal, @Param('id', ParseIdPipe) id: number) {
    return this.crud.get(p, id);
  }

  @Post()
  @ApiOperation({ summary: 'Create a customer', description: 'Needs a lastName or a companyName. Send `Idempotency-Key` to make retries safe.' })
  @ApiBody({ type: CustomerInput })
  @ApiWriteDocs(CustomerView, 201)
  create(@Req() req: Request, @Auth() p: Principal, @Body() input: CustomerInput) {
    return this.crud.create(req, p, input);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Update a customer (merge patch)', description: 'Only the fields sent change; null clears a field. Honour `If-Match` to avoid lost updates.' })
  @ApiBody({ type: CustomerPatch })
  @ApiWriteDocs(CustomerView, 200)
  patch(@Req() req: Request, @Auth() p: Principal, @Param('id', ParseIdPipe) id: number, @Body() input: CustomerPatch) {
    return this.crud.patch(req, p, id, input);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a customer', description: '409 while a trade-in still references the customer.' })
  @ApiWriteDocs(null, 204)
  remove(@Req() req: Request, @Auth() p: Principal, @Param('id', ParseIdPipe) id: number) {
    return this.crud.remove(req, p, id);
  }
}
