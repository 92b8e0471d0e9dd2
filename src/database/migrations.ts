import { Initial1732600000000 } from './migrations/1732600000000-Initial';

/** Every migration, in order. Listed explicitly so ts-node, jest and the compiled build agree. */
export const MIGRATIONS = [Initial1732600000000];
