import { TradeInsController } from './trade-ins.controller';
import { TradeInsService } from './trade-ins.service';

export const TRADE_IN_CONTROLLERS = [TradeInsController];
export const TRADE_IN_PROVIDERS = [TradeInsService];
