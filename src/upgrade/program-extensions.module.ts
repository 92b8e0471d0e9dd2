import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { PicturesModule } from '../pictures/pictures.module';
import { TenantsModule } from '../tenants/tenants.module';
import { TradeInsModule } from '../trade-ins/trade-ins.module';
import { PROGRAM_CONTROLLERS, PROGRAM_PROVIDERS } from './program.providers';
import { Extensions } from '../common/extensions';
import { REFERENCE_CHECKS } from '../common/references';
import { TRADE_IN_RULES, TRADE_IN_VIEW_FIELDS } from '../trade-ins/trade-in.extensions';
import { PROGRAM_REFERENCE_CHECK, PROGRAM_VIEW_FIELD, ProgramTradeInRules } from './program-facts.extension';

/**
 * The programme as one module for now (issue 11a): its controllers and providers as they were in
 * AppModule, on the core modules it uses, and the fillings of the trade-in core's extension
 * points (rules, view field, reference check). The split programme's upgrade.module.ts (issue
 * 11b) replaces this file.
 */
@Module({ imports: [TradeInsModule, PicturesModule, AuthModule, TenantsModule], controllers: PROGRAM_CONTROLLERS, providers: PROGRAM_PROVIDERS })
export class ProgramExtensionsModule {
  constructor(extensions: Extensions) {
    extensions.add(TRADE_IN_RULES, new ProgramTradeInRules());
    extensions.add(TRADE_IN_VIEW_FIELDS, PROGRAM_VIEW_FIELD);
    extensions.add(REFERENCE_CHECKS, PROGRAM_REFERENCE_CHECK);
  }
}
