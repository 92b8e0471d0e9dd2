import { Initial1732600000000 } from './migrations/1732600000000-Initial';
import { PicturesComments1732600000001 } from './migrations/1732600000001-PicturesComments';
import { Upgrade1732600000002 } from './migrations/1732600000002-Upgrade';
import { ListIndexes1732600000010 } from './migrations/1732600000010-ListIndexes';
import { SearchColumns1732600000020 } from './migrations/1732600000020-SearchColumns';
import { CustomerSearch1732600000021 } from './migrations/1732600000021-CustomerSearch';
import { SortStatusIndexes1732600000022 } from './migrations/1732600000022-SortStatusIndexes';
import { ProgrammeAccountOrder1732600000023 } from './migrations/1732600000023-ProgrammeAccountOrder';
import { Outbox1732600000050 } from './migrations/1732600000050-Outbox';
import { Webhooks1732600000051 } from './migrations/1732600000051-Webhooks';
import { StaffSignIn1732600000070 } from './migrations/1732600000070-StaffSignIn';
import { CreditLedger1732600000110 } from './migrations/1732600000110-CreditLedger';
import { AccountsNotifications1732600000120 } from './migrations/1732600000120-AccountsNotifications';
import { Shipping1732600000100 } from './migrations/1732600000100-Shipping';
import { PhotosCatalogueAudit1732600000130 } from './migrations/1732600000130-PhotosCatalogueAudit';
import { StatusPriceIndex1732600000140 } from './migrations/1732600000140-StatusPriceIndex';

/** Every migration, in order. Listed explicitly so ts-node, jest and the compiled build agree. */
export const MIGRATIONS = [
  Initial1732600000000,
  PicturesComments1732600000001,
  Upgrade1732600000002,
  ListIndexes1732600000010,
  SearchColumns1732600000020,
  CustomerSearch1732600000021,
  SortStatusIndexes1732600000022,
  ProgrammeAccountOrder1732600000023,
  Outbox1732600000050,
  Webhooks1732600000051,
  StaffSignIn1732600000070,
  Shipping1732600000100,
  CreditLedger1732600000110,
  AccountsNotifications1732600000120,
  PhotosCatalogueAudit1732600000130,
  StatusPriceIndex1732600000140,
];
