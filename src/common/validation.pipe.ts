import { ArgumentMetadata, createParamDecorator, ExecutionContext, Injectable, PipeTransform } from '@nestjs/common';
import { ClassConstructor } from 'class-transformer';
import type { Request } from 'express';
import { checkArray, validateArray, validateObject } from './validation';
import { Violation } from './errors';

/**
 * Runs a body's check. A fault is raised one turn later: the other parameters' pipes run in the
 * same turn, so a malformed path id (ParseIdPipe's 404) still answers first, as it did while the
 * services validated. A valid body costs nothing more.
 */
export function atEdge<T>(check: () => T): T | Promise<T> {
  try {
    return check();
  } catch (e) {
    return new Promise<T>((_resolve, reject) => setImmediate(() => reject(e as Error)));
  }
}

/** Metatypes that are not an input class: `@Body() body: unknown` (Object) and the like pass untouched. */
const NOT_A_DTO = new Set<unknown>([undefined, Object, Array, String, Number, Boolean]);

/**
 * Validation once, at the edge (registered as the global pipe): a whole body declared as an input
 * class, `@Body() body: TradeInInput`, goes through validateObject — the instance when valid, else
 * one 422 with every violation (same paths and codes wherever the class is used). Arrays take
 * `@Body(new ArrayBody(PictureInput, 100))`, a body that may be left out `@OptionalBody(WithdrawInput)`.
 * Rules that need the database or the stored row stay in the services, inside their write transaction.
 */
@Injectable()
export class ApiValidationPipe implements PipeTransform {
  transform(value: unknown, meta: ArgumentMetadata): unknown {
    if (meta.type !== 'body' || meta.data !== undefined || NOT_A_DTO.has(meta.metatype)) return value;
    return atEdge(() => validateObject(meta.metatype as ClassConstructor<object>, value));
  }
}

/** An array body of at most `maxItems` objects of `dto` (paths read `[2].url`): the items, or one 422 listing every invalid one. */
export class ArrayBody<T extends object> implements PipeTransform<unknown, T[] | Promise<T[]>> {
  constructor(
    private readonly dto: ClassConstructor<T>,
    private readonly maxItems: number,
  ) {}

  transform(value: unknown): T[] | Promise<T[]> {
    return atEdge(() => validateArray(this.dto, value, this.maxItems));
  }
}

/** An array body checked at the edge whose service adds rules of its own (over the database) before answering every violation at once. */
export interface CheckedArray<T> {
  /** Each item, or null where it is not an object. */
  items: (T | null)[];
  /** The items' violations so far (none thrown yet). */
  violations: Violation[];
}

/** `@Body(new CheckedArrayBody(PictureInput, 100)) body: CheckedArray<PictureInput>`: 400 unless an array, 422 above maxItems, else the items with their violations. */
export class CheckedArrayBody<T extends object> implements PipeTransform<unknown, CheckedArray<T> | Promise<CheckedArray<T>>> {
  constructor(
    private readonly dto: ClassConstructor<T>,
    private readonly maxItems: number,
  ) {}

  transform(value: unknown): CheckedArray<T> | Promise<CheckedArray<T>> {
    return atEdge(() => checkArray(this.dto, value, this.maxItems));
  }
}

/** The request's body as parsed, undefined when none came; a custom parameter, so the global pipe leaves it to its own pipe. */
const RequestBody = createParamDecorator((_data: unknown, ctx: ExecutionContext): unknown => ctx.switchToHttp().getRequest<Request>().body);

/** Validates a body that may be left out: no body reads as `{}` (the class's fields are then all optional). */
class OptionalBodyPipe<T extends object> implements PipeTransform<unknown, T | Promise<T>> {
  constructor(private readonly dto: ClassConstructor<T>) {}

  transform(value: unknown): T | Promise<T> {
    return atEdge(() => validateObject(this.dto, value ?? {}));
  }
}

/**
 * `@OptionalBody(WithdrawInput) input: WithdrawInput`: a body the route does not need (POST
 * …/withdraw with nothing sent), validated at the edge like `@Body()` — `{}` when none came, 400
 * when it is not a JSON object, else the instance or one 422. Not `@Body(pipe)`: the global pipe runs
 * before a parameter's own pipes and would answer a missing body with its 400 first.
 */
export const OptionalBody = <T extends object>(dto: ClassConstructor<T>): ParameterDecorator => RequestBody(undefined, new OptionalBodyPipe(dto));
