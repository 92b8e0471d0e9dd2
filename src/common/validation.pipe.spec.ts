import { IsString, MaxLength } from 'class-validator';
import { ValidationFailed, Violation } from './errors';
import { validateObject } from './validation';
import { ApiValidationPipe, ArrayBody, CheckedArrayBody } from './validation.pipe';

class NoteInput {
  @IsString()
  @MaxLength(5)
  note: string;
}

const pipe = new ApiValidationPipe();
async function violations(fn: () => unknown): Promise<Violation[]> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof ValidationFailed) return e.violations ?? [];
    throw e;
  }
  throw new Error('no violation');
}

describe('ApiValidationPipe', () => {
  it('validates a body declared as an input class and returns its instance at once', () => {
    const out = pipe.transform({ note: 'ok', extra: 1 }, { type: 'body', metatype: NoteInput });
    expect(out).toBeInstanceOf(NoteInput);
    expect(out).toEqual({ note: 'ok' });
  });

  it('answers the same violations as validateObject, a turn later', async () => {
    const body = { note: 'far too long' };
    const answer = pipe.transform(body, { type: 'body', metatype: NoteInput });
    expect(answer).toBeInstanceOf(Promise);
    expect(await violations(() => answer)).toEqual(await violations(() => validateObject(NoteInput, body)));
  });

  it('leaves alone what is not a whole body of an input class', () => {
    const raw = { note: 5 };
    expect(pipe.transform(raw, { type: 'body', metatype: Object })).toBe(raw);
    expect(pipe.transform(raw, { type: 'body', metatype: undefined })).toBe(raw);
    expect(pipe.transform(raw, { type: 'body', metatype: NoteInput, data: 'note' })).toBe(raw);
    expect(pipe.transform('12', { type: 'param', metatype: NoteInput, data: 'id' })).toBe('12');
  });
});

describe('array bodies', () => {
  it('ArrayBody answers every invalid item at once', async () => {
    expect((await violations(() => new ArrayBody(NoteInput, 10).transform([{ note: 'ok' }, { note: 1 }, 'x']))).map((v) => v.propertyPath)).toEqual(['[1].note', '[2]']);
  });

  it('CheckedArrayBody hands the items and their violations on without throwing', async () => {
    const { items, violations: found } = await new CheckedArrayBody(NoteInput, 10).transform([{ note: 'ok' }, 7]);
    expect(items[0]).toBeInstanceOf(NoteInput);
    expect(items[1]).toBeNull();
    expect(found.map((v) => v.propertyPath)).toEqual(['[1]']);
  });
});
