import { ProgramAccount, ProgramSession } from './accounts/account.entity';
import { ProgramOffer } from './offers/offer.entity';
import { ProgramPhoto } from './photos/photo.entity';
import { PhotoRequirements } from './photos/photo-requirements.entity';
import { ConditionModifier, ProgramValuation } from './quotes/valuation.entity';
import { TradeInProgram } from './submissions/trade-in-program.entity';

// The entities live in the programme's sub-folders; re-exported here for the entity list and the code outside src/upgrade.
export * from './accounts/account.entity';
export * from './offers/offer.entity';
export * from './photos/photo.entity';
export * from './photos/photo-requirements.entity';
export * from './quotes/valuation.entity';
export * from './submissions/trade-in-program.entity';

export const PROGRAM_ENTITIES = [ProgramAccount, ProgramSession, ProgramValuation, ConditionModifier, TradeInProgram, ProgramOffer, ProgramPhoto, PhotoRequirements];
