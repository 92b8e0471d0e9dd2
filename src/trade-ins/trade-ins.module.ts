import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CustomersModule } from '../customers/customers.module';
import { LocationsModule } from '../locations/locations.module';
import { RejectReasonsModule } from '../reject-reasons/reject-reasons.module';
import { TradeIn, TradeInStatusChange } from './trade-in.entity';
import { TradeInCounts } from './trade-in-counts';
import { TradeInsController } from './trade-ins.controller';
import { TradeInsRepository } from './trade-ins.repository';
import { TradeInsService } from './trade-ins.service';
import { TradeInChanges } from './trade-in-changes.service';
import { TradeInInputService } from './trade-in-input.service';
import { TradeInQueries } from './trade-in-queries.service';
import { TradeInRulesService } from './trade-in-rules.service';

/**
 * The trade-in core. Add-ons (pictures, comments, the programme) import it and go through
 * TradeInsService for every change of a trade-in; they extend it through the points of
 * trade-in.extensions.ts, never the other way round.
 */
@Module({
  imports: [TypeOrmModule.forFeature([TradeIn, TradeInStatusChange]), CustomersModule, LocationsModule, RejectReasonsModule],
  controllers: [TradeInsController],
  providers: [TradeInCounts, TradeInsRepository, TradeInRulesService, TradeInChanges, TradeInInputService, TradeInQueries, TradeInsService],
  exports: [TradeInsService, TradeInsRepository, TradeInCounts],
})
export class TradeInsModule {}
