import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Tenant } from './tenant.entity';

/** Tenants (dealer groups): the table every other feature scopes its rows by. */
@Module({ imports: [TypeOrmModule.forFeature([Tenant])], exports: [TypeOrmModule] })
export class TenantsModule {}
