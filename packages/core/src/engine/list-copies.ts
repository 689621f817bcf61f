// Copies of long lists with a few places changed, each made in one allocation. The lists an
// engine patches after a delta are often past 16k items (routes, Services and slices at 10k
// Gateways), and V8 puts every array over 128 KiB on memory pages of its own, mapped, zeroed and
// unmapped with it: on our 2-core bench machine a copy of 20k items cost ~480 µs against ~6 µs
// for 16k. What a patch pays is then the number of long arrays it makes more than their length:
// a copy and then a splice into it (which grows it) is two, the same list made at its final
// length is one.

/** An item to put into a list before the item now at `at` (the list's length: last). */
export interface Insertion<T> {
  readonly at: number;
  readonly item: T;
}

/**
 * `list` without the items at `removed` (ascending, each once) and with each insertion's item
 * put before the item at its `at` (ascending; items at one place in the order given, before
 * the item there whether it is removed or not).
 */
export function edited<T>(list: readonly T[], removed: readonly number[], inserted: readonly Insertion<T>[]): T[] {
  const out = new Array<T>(list.length - removed.length + inserted.length);
  let next = 0;
  let r = 0;
  let n = 0;
  for (let i = 0; i <= list.length; i++) {
    while (n < inserted.length && inserted[n]!.at === i) out[next++] = inserted[n++]!.item;
    if (i === list.length) break;
    if (r < removed.length && removed[r] === i) r++;
    else out[next++] = list[i]!;
  }
  return out;
}

/**
 * A list put together from runs of other lists and single items, made once at its full length:
 * a run is neither copied on its own (slices of 30k unchanged statuses are long arrays too) nor
 * items one at a time into a growing array.
 */
export class Pieces<T> {
  private readonly runs: { readonly from: readonly T[]; readonly start: number; readonly end: number }[] = [];
  private loose: T[] = [];
  private length = 0;

  /** Appends `from[start..end)`. */
  copy(from: readonly T[], start: number, end: number): void {
    if (end <= start) return;
    this.flush();
    this.runs.push({ from, start, end });
    this.length += end - start;
  }

  add(item: T): void {
    this.loose.push(item);
  }

  joined(): T[] {
    this.flush();
    if (this.runs.length === 1) {
      const { from, start, end } = this.runs[0]!;
      return from.slice(start, end);
    }
    const out = new Array<T>(this.length);
    let next = 0;
    for (const { from, start, end } of this.runs) for (let i = start; i < end; i++) out[next++] = from[i]!;
    return out;
  }

  private flush(): void {
    if (this.loose.length === 0) return;
    this.runs.push({ from: this.loose, start: 0, end: this.loose.length });
    this.length += this.loose.length;
    this.loose = [];
  }
}
