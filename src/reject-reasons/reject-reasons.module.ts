import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RejectReason } from './reject-reason.entity';
import { RejectReasonsController } from './reject-reasons.controller';

@Module({ imports: [TypeOrmModule.forFeature([RejectReason])], controllers: [RejectReasonsController], exports: [TypeOrmModule] })
export class RejectReasonsModule {}
