import { defineConfig } from 'tsup';

// The library and the launcher are built. The vitest-side entries (src/global-setup.ts,
// src/vitest-inject.ts) are exported as source, as in @l4gw/envtest, and the agents
// (src/agents/*.ts) run as source under Node's type stripping inside their namespaces.
export default defineConfig({
  entry: ['src/index.ts', 'src/launch.ts'],
  format: ['esm'],
  target: 'node22',
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
});
