import { LoggerService } from '@nestjs/common';

/** Nest's start-up chatter (a line per module and route): debug level, so the first-start key stays the last thing printed. */
const STARTUP_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

export class QuietStart implements LoggerService {
  constructor(private readonly inner: LoggerService) {}
  log(message: unknown, ...rest: unknown[]) {
    const context = rest[rest.length - 1];
    if (typeof context === 'string' && STARTUP_CONTEXTS.has(context)) this.inner.debug?.(message, ...rest);
    else this.inner.log(message, ...rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.inner.error(message, ...rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.inner.warn(message, ...rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.inner.debug?.(message, ...rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.inner.verbose?.(message, ...rest);
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.inner.fatal?.(message, ...rest);
  }
}
