import { Module } from '@nestjs/common';
import { Extensions } from '../common/extensions';
import { REFERENCE_CHECKS } from '../common/references';
import { TRADE_IN_RULES, TRADE_IN_VIEW_FIELDS } from '../trade-ins/trade-in.extensions';
import { PROGRAM_REFERENCE_CHECK, PROGRAM_VIEW_FIELD, ProgramTradeInRules } from './program-facts.extension';

/** Fills the trade-in core's extension points with the programme's rules, view field and reference check (issue 11; upgrade.module.ts absorbs it). */
@Module({})
export class ProgramExtensionsModule {
  constructor(extensions: Extensions) {
    extensions.add(TRADE_IN_RULES, new ProgramTradeInRules());
    extensions.add(TRADE_IN_VIEW_FIELDS, PROGRAM_VIEW_FIELD);
    extensions.add(REFERENCE_CHECKS, PROGRAM_REFERENCE_CHECK);
  }
}
