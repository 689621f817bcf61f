import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { edited, Pieces, type Insertion } from './list-copies.js';

const list = fc.array(fc.integer(), { maxLength: 40 });

describe('edited', () => {
  const insertions = (length: number): fc.Arbitrary<Insertion<number>[]> =>
    fc.array(fc.record({ at: fc.integer({ min: 0, max: length }), item: fc.integer() }), { maxLength: 6 }).map((all) => all.sort((a, b) => a.at - b.at));
  it('should give the list without the places removed and with the items inserted before their places, leaving the list alone', () => {
    fc.assert(
      fc.property(
        list.chain((items) => fc.tuple(fc.constant(items), fc.subarray(items.map((_, i) => i)), insertions(items.length))),
        ([items, removed, inserted]) => {
          const before = items.slice();
          // The same edits made one at a time into a copy: removed places marked (so every place
          // still names its item), insertions spliced in from the last place down, marks dropped.
          const gone = Symbol('removed');
          const expected: (number | typeof gone)[] = items.slice();
          for (const at of removed) expected[at] = gone;
          for (let i = inserted.length - 1; i >= 0; i--) expected.splice(inserted[i]!.at, 0, inserted[i]!.item);
          expect(edited(items, removed, inserted)).toEqual(expected.filter((item) => item !== gone));
          expect(items).toEqual(before);
        },
      ),
    );
  });
});

describe('Pieces', () => {
  it('should join runs and single items in the order given, into a list of its own', () => {
    const step = fc.oneof(
      fc.record({ run: fc.tuple(fc.nat(10), fc.nat(10)) }),
      fc.record({ item: fc.integer() }),
    );
    fc.assert(
      fc.property(list, fc.array(step, { maxLength: 8 }), (source, steps) => {
        const pieces = new Pieces<number>();
        const expected: number[] = [];
        for (const s of steps) {
          if ('item' in s) {
            pieces.add(s.item);
            expected.push(s.item);
          } else {
            const [start, end] = [Math.min(s.run[0], source.length), Math.min(s.run[0] + s.run[1], source.length)];
            pieces.copy(source, start, end);
            expected.push(...source.slice(start, end));
          }
        }
        const joined = pieces.joined();
        expect(joined).toEqual(expected);
        expect(joined).not.toBe(source);
      }),
    );
  });
});
