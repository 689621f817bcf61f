// What two versions of a long list share: the patches that handle a few items added or removed
// (parse/snapshot.ts, gateway/addresses.ts, gateway/resolve.ts) find the changed run between a common start and end.

/**
 * How many items `last` and `next` share at their start, and then at their end (never counting
 * an item twice), compared by identity.
 */
export function sharedEnds<T>(last: readonly T[], next: readonly T[]): { readonly prefix: number; readonly suffix: number } {
  const shorter = Math.min(last.length, next.length);
  let prefix = 0;
  while (prefix < shorter && next[prefix] === last[prefix]) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && next[next.length - 1 - suffix] === last[last.length - 1 - suffix]) suffix++;
  return { prefix, suffix };
}
