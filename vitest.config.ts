import { defineConfig } from 'vitest/config';

// One root config runs every package. Unit tests (core, cli) need nothing but Node; the
// integration projects share one real etcd + kube-apiserver started by @l4gw/envtest's global setup.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'core',
          include: ['packages/core/src/**/*.test.ts', 'packages/core/test/**/*.test.ts'],
          // The properties take 1-3 s alone and over 5 s (vitest's default) on a loaded machine.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'cli',
          include: ['packages/cli/src/**/*.test.ts', 'packages/cli/test/**/*.test.ts'],
          exclude: ['packages/cli/test/**/*.integration.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          // The chart (helm from tools/helm) and the image builder's own pieces; no API server.
          name: 'packaging',
          include: ['tools/**/*.test.ts'],
          exclude: ['tools/**/*.integration.test.ts'],
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: [
            'packages/envtest/test/**/*.test.ts',
            'packages/adapter-k8s/src/**/*.test.ts',
            'packages/adapter-k8s/test/**/*.test.ts',
            'packages/cli/test/**/*.integration.test.ts',
            'tools/**/*.integration.test.ts',
          ],
          globalSetup: ['packages/envtest/src/global-setup.ts'],
          // One API server is shared; files run one at a time so they do not fight over it.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
