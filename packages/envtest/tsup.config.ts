import { defineConfig } from 'tsup';

// Only the main entry is built. The vitest-side entries (src/global-setup.ts, src/vitest-inject.ts)
// are exported as source: only vitest loads them, it compiles TypeScript itself, and tsup's
// declaration build cannot see their `ProvidedContext` augmentation of the 'vitest' module.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'node22',
  dts: true,
  sourcemap: true,
  clean: true,
});
