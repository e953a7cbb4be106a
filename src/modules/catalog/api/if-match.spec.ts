import { InvalidInputException } from '../../../../libs/http';
import { entityTagOf, expectedVersionOf } from './if-match';

describe('If-Match', () => {
  it('is the ETag: the version as a strong entity tag', () => {
    expect(entityTagOf(7)).toBe('"7"');
    expect(expectedVersionOf(entityTagOf(7), undefined)).toBe(7);
  });

  it.each<[string | undefined, number | undefined, number | undefined]>([
    [undefined, undefined, undefined],
    ['*', undefined, undefined],
    [' "12" ', undefined, 12],
    [undefined, 4, 4],
    ['"4"', 4, 4],
    ['*', 4, 4],
  ])('If-Match %j with body version %j expects version %j', (header, body, expected) => {
    expect(expectedVersionOf(header, body)).toBe(expected);
  });

  it.each(['3', 'W/"3"', '"3", "4"', '"0"', '"abc"', '""', '"-1"'])('refuses If-Match %j with 400', (header) => {
    let caught: unknown;
    try {
      expectedVersionOf(header, undefined);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidInputException);
    expect((caught as InvalidInputException).errors.map((e) => e.field)).toEqual(['If-Match']);
  });

  it('refuses a body version that disagrees with If-Match', () => {
    expect(() => expectedVersionOf('"3"', 2)).toThrow('version: disagrees with If-Match ("3")');
  });
});
