import { HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiError, titleFor, Violation } from './errors';
import { MEDIA, negotiate } from './negotiation';

interface Problem {
  status: number;
  detail: string;
  violations?: Violation[];
  headers?: Record<string, string>;
}

const logger = new Logger('Errors');

/** Database errors we can explain without revealing internals. */
function fromDatabase(err: { code?: string; errno?: number; message?: string; driverError?: { code?: string } }): Problem | null {
  const code = err.driverError?.code ?? err.code ?? '';
  // SQLite reports an ON DELETE RESTRICT violation as SQLITE_CONSTRAINT_TRIGGER ("FOREIGN KEY constraint failed").
  if (code.startsWith('SQLITE_CONSTRAINT') && /FOREIGN KEY/i.test(err.message ?? '')) {
    return { status: 409, detail: 'The resource is referenced by, or references, another resource.' };
  }
  if (code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return { status: 409, detail: 'The request conflicts with an existing resource.' };
  }
  if (code.startsWith('ER_ROW_IS_REFERENCED') || code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code.startsWith('ER_NO_REFERENCED_ROW')) {
    return { status: 409, detail: 'The resource is referenced by, or references, another resource.' };
  }
  if (code === 'ER_DATA_TOO_LONG' || code === 'ER_WARN_DATA_OUT_OF_RANGE' || code === 'ER_TRUNCATED_WRONG_VALUE') {
    return { status: 422, detail: 'A value is out of the range the field accepts.' };
  }
  return null;
}

/** Maps anything thrown during a request to a status and a caller-safe message. */
export function toProblem(err: unknown, req: Request): Problem {
  if (err instanceof ApiError) return { status: err.statusCode, detail: err.detail, violations: err.violations, headers: err.headers };
  if (err instanceof HttpException) {
    const status = err.getStatus();
    if (status === 404 && /^Cannot (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)/.test(err.message)) {
      return { status, detail: `No route matches ${req.method} ${req.path}.` };
    }
    // Framework exceptions carry messages written for developers (e.g. the JSON parser's
    // "Unexpected token ... is not valid JSON" echoing the decoded body): say it in our words.
    if (status === 400 && /JSON/i.test(err.message)) return { status, detail: 'The request body is not valid JSON.' };
    if (status === 429) return { status, detail: 'Too many requests for this API key (or address). Retry after the number of seconds in Retry-After.' };
    return { status, detail: status < 500 ? `${titleFor(status)}.` : 'An internal error occurred. It has been logged.' };
  }
  const e = err as { type?: string; status?: number; statusCode?: number; expose?: boolean; limit?: number };
  // body-parser errors
  if (e && typeof e === 'object' && typeof e.type === 'string') {
    switch (e.type) {
      case 'entity.parse.failed':
        return { status: 400, detail: 'The request body is not valid JSON.' };
      case 'entity.too.large':
        return { status: 413, detail: `The request body is larger than the ${e.limit} bytes allowed.` };
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return { status: 415, detail: 'The request body uses an unsupported character set or encoding.' };
      case 'request.aborted':
        return { status: 400, detail: 'The request was aborted.' };
      case 'parameters.too.many':
        return { status: 413, detail: 'The request has too many parameters.' };
      default:
        if (e.expose && typeof e.status === 'number' && e.status < 500) return { status: e.status, detail: 'The request body could not be read.' };
    }
  }
  if (e instanceof URIError) return { status: 400, detail: 'The request URL is not correctly encoded.' };
  const db = err && typeof err === 'object' ? fromDatabase(err) : null;
  if (db) return db;
  logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  return { status: 500, detail: 'An internal error occurred. It has been logged.' };
}

/** Writes problem+json (plain JSON callers) or a hydra:Error (JSON-LD callers). */
export function sendProblem(req: Request, res: Response, problem: Problem): void {
  if (res.headersSent) return;
  for (const [name, value] of Object.entries(problem.headers ?? {})) res.setHeader(name, value);
  const format = negotiate(req) ?? 'json';
  const base = {
    type: `/errors/${problem.status}`,
    title: titleFor(problem.status),
    status: problem.status,
    detail: problem.detail,
    ...(problem.violations ? { violations: problem.violations } : {}),
  };
  if (format === 'jsonld') {
    res.status(problem.status).type(`${MEDIA.jsonld}; charset=utf-8`);
    res.send(
      JSON.stringify({
        '@context': '/api/v3/contexts/Error',
        '@id': `/errors/${problem.status}`,
        '@type': 'hydra:Error',
        'hydra:title': base.title,
        'hydra:description': base.detail,
        ...base,
      }),
    );
  } else {
    res.status(problem.status).type(`${MEDIA.problem}; charset=utf-8`);
    res.send(JSON.stringify(base));
  }
}
