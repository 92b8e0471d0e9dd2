// Nest's CORS options type is not exported from @nestjs/common's entry point; a type-only import
// (no runtime code), kept here with the other reaches past a package's entry point.
export type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';
