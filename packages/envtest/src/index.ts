/**
 * @l4gw/envtest: a real etcd + kube-apiserver on loopback for integration tests, with the Gateway
 * API CRDs installed. Test files normally use the shared control plane through `@l4gw/envtest/vitest`;
 * tests that must own a server (restarts, other CRD sets) call {@link startControlPlane}.
 */
export { startControlPlane } from './control-plane.js';
export type { ControlPlane, ControlPlaneOptions, StartupTimings } from './control-plane.js';
export { CRD_SET_VARIABLES, crdDirectories } from './crd-sets.js';
export type { CrdSet } from './crd-sets.js';
export { installCrds, loadCrds, waitForCrdsServed } from './crds.js';
export { ADMIN_USER } from './credentials.js';
export type { TokenUser } from './credentials.js';
export { findBinary, MissingBinaryError } from './binaries.js';
export type { ControlPlaneBinary } from './binaries.js';
export { createTestNamespace } from './namespaces.js';
export { readEnvtestVersions } from './versions.js';
export type { EnvtestVersions } from './versions.js';
export { eventually } from './eventually.js';
// Building blocks for other test beds (the data-plane one in @l4gw/dataplane) that run their own
// processes next to a control plane and must clean up after them the same way.
export { spawnManaged } from './managed-process.js';
export type { ManagedProcess } from './managed-process.js';
export { registerExitCleanup } from './exit-cleanup.js';
export { isAlive } from './orphans.js';
export { freeLoopbackPort } from './ports.js';
export { probe, pollUntil } from './http-probe.js';
export type { ProbeResult, PollOptions } from './http-probe.js';
