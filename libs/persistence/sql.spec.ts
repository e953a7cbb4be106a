import { columnsOf, rowsOf } from './sql';

describe(columnsOf.name, () => {
  it('turns rows into one parameter array per column, in row order', () => {
    expect(columnsOf([{ id: 'a', n: 1 }, { id: 'b', n: 2 }], (r) => [r.id, r.n, null])).toEqual([
      ['a', 'b'],
      [1, 2],
      [null, null],
    ]);
  });

  it('refuses no rows, whose column count it cannot know', () => {
    expect(() => columnsOf([], () => [1])).toThrow('at least one row');
  });
});

describe(rowsOf.name, () => {
  it('takes the rows of pg\'s [rows, count] and plain rows alike', () => {
    expect(rowsOf([[{ a: 1 }], 1])).toEqual([{ a: 1 }]);
    expect(rowsOf([{ a: 1 }])).toEqual([{ a: 1 }]);
  });
});
