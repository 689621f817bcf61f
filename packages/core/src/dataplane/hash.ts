// A tiny stable hash for generated names (GW8). Core has no crypto dependency and needs none:
// the hash only has to make truncated names distinct and be the same on every run and platform.

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * 32-bit FNV-1a over the UTF-16 code units of `text`, as 8 lower-case hex digits. Stable across
 * runs, platforms and Node versions, which is all generated names need; not for security.
 */
export function fnv1aHex(text: string): string {
  return toHex(update(FNV_OFFSET_BASIS, text));
}

/**
 * The same as `fnv1aHex(parts.join('\u0000'))` without building the joined string (every
 * generated EndpointSlice name is hashed from its parts).
 */
export function fnv1aHexOfParts(parts: readonly string[]): string {
  let hash = FNV_OFFSET_BASIS;
  for (let p = 0; p < parts.length; p++) {
    if (p > 0) hash = Math.imul(hash, FNV_PRIME) >>> 0; // the separator: hash ^= 0 changes nothing
    hash = update(hash, parts[p] as string);
  }
  return toHex(hash);
}

function update(start: number, text: string): number {
  let hash = start;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash;
}

function toHex(hash: number): string {
  return hash.toString(16).padStart(8, '0');
}
