import type { Request } from 'express';

/**
 * The negotiated format cached on Express's request object (`req._format`, a property Express
 * does not use): negotiation runs once per request, and the programme marks its requests `json`
 * before the body parsers run, so their errors are already problem+json. Tripwire:
 * request-format.spec.ts.
 */
type WithFormat<F> = Request & { _format?: F | null };

export function formatOf<F extends string>(req: Request): F | null | undefined {
  return (req as WithFormat<F>)._format;
}

export function markFormat<F extends string>(req: Request, format: F | null): void {
  (req as WithFormat<F>)._format = format;
}
