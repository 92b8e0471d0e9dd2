import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RejectReason } from './reject-reason.entity';
import { RejectReasonsController } from './reject-reasons.controller';
import { RejectReasonsRepository } from './reject-reasons.repository';

@Module({ imports: [TypeOrmModule.forFeature([RejectReason])], controllers: [RejectReasonsController], providers: [RejectReasonsRepository], exports: [RejectReasonsRepository] })
export class RejectReasonsModule {}
