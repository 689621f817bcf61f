import { defineConfig } from 'vitest/config';

// The data-plane suite: real packets through kube-proxy (nftables) inside network namespaces.
// It must run inside a test-bed node namespace, so it is not a project of vitest.config.ts; the
// launcher creates the namespaces and runs vitest inside (pnpm test does):
//   node packages/dataplane/dist/launch.js -- vitest run -c vitest.dataplane.config.ts
export default defineConfig({
  test: {
    name: 'dataplane',
    include: ['packages/dataplane/test/**/*.test.ts'],
    globalSetup: ['packages/dataplane/src/global-setup.ts'],
    // One kube-proxy and one set of namespaces: files run one at a time.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
