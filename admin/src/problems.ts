import { HttpError } from 'react-admin';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * A refused write as react-admin's HttpError: the API's detail as the message, and its 422
 * violations as `errors` keyed by the field path (`vehicleModel.make` nested), which react-admin's
 * forms show beside each input.
 */
export async function httpErrorOf(res: Response): Promise<HttpError> {
  const problem = (await res.json().catch(() => ({}))) as { detail?: string; title?: string; violations?: { propertyPath: string; message: string }[] };
  const errors: Json = {};
  for (const v of problem.violations ?? []) {
    const path = v.propertyPath.split('.');
    let at = errors;
    for (const key of path.slice(0, -1)) at = (at[key] = isObject(at[key]) ? at[key] : {}) as Json;
    at[path[path.length - 1]] = v.message;
  }
  return new HttpError(problem.detail ?? problem.title ?? res.statusText, res.status, { errors });
}
