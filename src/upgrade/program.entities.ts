import { ProgramAccount, ProgramAccountSettings, ProgramPasswordReset, ProgramSession } from './accounts/account.entity';
import { CreditEntry } from './credits/credit-entry.entity';
import { NotificationTemplate, ProgramNotification } from './notifications/notification.entity';
import { ProgramOffer, ProgramOfferSettings } from './offers/offer.entity';
import { ProgramPhoto } from './photos/photo.entity';
import { PhotoRequirements } from './photos/photo-requirements.entity';
import { ConditionModifier, ProgramValuation } from './quotes/valuation.entity';
import { TradeInProgram } from './submissions/trade-in-program.entity';
import { SHIPPING_ENTITIES } from './shipping/shipment.entity';

// The entities live in the programme's sub-folders; re-exported here for the entity list and the code outside src/upgrade.
export * from './accounts/account.entity';
export * from './credits/credit-entry.entity';
export * from './notifications/notification.entity';
export * from './offers/offer.entity';
export * from './photos/photo.entity';
export * from './photos/photo-requirements.entity';
export * from './quotes/valuation.entity';
export * from './submissions/trade-in-program.entity';
export * from './shipping/shipment.entity';

export const PROGRAM_ENTITIES = [
  ProgramAccount,
  ProgramSession,
  ProgramValuation,
  ConditionModifier,
  TradeInProgram,
  ProgramOffer,
  ProgramPhoto,
  PhotoRequirements,
  ProgramOfferSettings,
  CreditEntry,
  ProgramPasswordReset,
  ProgramAccountSettings,
  ProgramNotification,
  NotificationTemplate,
  ...SHIPPING_ENTITIES,
];
