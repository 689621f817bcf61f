import { defineConfig } from 'tsup';

export default defineConfig({
  // The root entry and the IPAM subpath (`@l4gw/core/ipam`); shared code goes to common chunks.
  entry: { index: 'src/index.ts', ipam: 'src/ipam/index.ts' },
  format: ['esm'],
  target: 'node22',
  dts: true,
  sourcemap: true,
  clean: true,
});
