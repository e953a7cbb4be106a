import { jsonDepth } from './json-depth';

describe(jsonDepth.name, () => {
  it.each([
    ['1', 0],
    ['{}', 1],
    ['{"a":[1,{"b":[]}]}', 4],
    ['{"a":"[[[{{{"}', 1],
    ['{"a":"\\"[[["}', 1],
    [`${'['.repeat(5000)}${']'.repeat(5000)}`, 5000],
  ])('%s nests %i deep', (text, depth) => {
    expect(jsonDepth(text)).toBe(depth);
  });
});
