import { accessSync, constants } from 'node:fs';

/** The binaries the test bed runs besides the control plane, by the variable that locates each. */
export const TESTBED_BINARIES = {
  kubeProxy: 'L4GW_KUBE_PROXY',
  metallbController: 'L4GW_METALLB_CONTROLLER',
  metallbSpeaker: 'L4GW_METALLB_SPEAKER',
} as const;

/**
 * The path of a test-bed binary from its variable (tools/envtest/build.sh exports them all; a user
 * may point them at binaries of their own). Throws, naming the variable, when it is unset or not
 * executable: the suite fails rather than skips.
 */
export function testbedBinary(which: keyof typeof TESTBED_BINARIES, env: NodeJS.ProcessEnv = process.env): string {
  const variable = TESTBED_BINARIES[which];
  const path = env[variable];
  if (!path) {
    throw new Error(
      `${variable} is not set. Build the data-plane binaries and export their locations with ` +
        '`eval "$(tools/envtest/build.sh --print-env)"` (needs Go), or point it at a binary you have.',
    );
  }
  try {
    accessSync(path, constants.X_OK);
  } catch (error) {
    throw new Error(`${variable}=${path} is not an executable file`, { cause: error });
  }
  return path;
}
