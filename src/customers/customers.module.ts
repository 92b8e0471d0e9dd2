import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Customer } from './customer.entity';
import { CustomersController } from './customers.controller';

@Module({ imports: [TypeOrmModule.forFeature([Customer])], controllers: [CustomersController], exports: [TypeOrmModule] })
export class CustomersModule {}
