// A tiny stable hash for generated names (GW8). Core has no crypto dependency and needs none:
// the hash only has to make truncated names distinct and be the same on every run and platform.

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * 32-bit FNV-1a over the UTF-16 code units of `text`, as 8 lower-case hex digits. Stable across
 * runs, platforms and Node versions, which is all generated names need; not for security.
 */
export function fnv1aHex(text: string): string {
  let hash = FNV_OFFSET_BASIS;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
