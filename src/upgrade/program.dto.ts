/**
 * The programme's inputs and views live in its sub-folders' dtos; this file re-exports them all in
 * one place for the class-validator tripwire (src/platform/class-validator-metadata.spec.ts).
 */
export * from './accounts/accounts.dto';
export * from './admin/admin.dto';
export * from './offers/offers.dto';
export * from './photos/photos.dto';
export * from './quotes/quotes.dto';
export * from './submissions/submissions.dto';
export * from './shipping/shipping.dto';
export { Timestamp } from './program.validators';
