// The items two sorted lists do not share, paired by key: how the engine finds what a watch
// event changed in a list it was handed whole. The ends both lists share are skipped with pointer
// comparisons (model/shared-ends.ts), so only the changed middle is compared by key.

import { sharedEnds } from '../model/shared-ends.js';

/**
 * The items between the ends two sorted lists share, paired by `compare` (0: the same key):
 * [last, next] for a key in both (different items), [last, undefined] for one gone, [undefined,
 * next] for one come. Undefined when either middle holds more than `max` items.
 */
export function middlePairs<T>(last: readonly T[], next: readonly T[], compare: (a: T, b: T) => number, max: number): [T | undefined, T | undefined][] | undefined {
  const { prefix, suffix } = sharedEnds(last, next);
  const pairs: [T | undefined, T | undefined][] = [];
  let i = prefix;
  let j = prefix;
  const lastEnd = last.length - suffix;
  const nextEnd = next.length - suffix;
  if (lastEnd - i > max || nextEnd - j > max) return undefined;
  while (i < lastEnd || j < nextEnd) {
    const order = i === lastEnd ? 1 : j === nextEnd ? -1 : compare(last[i]!, next[j]!);
    if (order === 0) {
      if (last[i] !== next[j]) pairs.push([last[i], next[j]]);
      i++;
      j++;
    } else if (order < 0) pairs.push([last[i++], undefined]);
    else pairs.push([undefined, next[j++]]);
  }
  return pairs;
}
