export const TRADE_IN_CONTROLLERS: never[] = [];
export const TRADE_IN_PROVIDERS: never[] = [];
