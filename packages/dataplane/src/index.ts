/**
 * @l4gw/dataplane: a data-plane test bed. Network namespaces (node, client, backend) created by
 * the launcher (src/launch.ts); inside the node namespace a real control plane, kube-proxy in
 * nftables mode, l4gw and MetalLB; backend pods as small TCP/UDP servers; a client that sends
 * real packets to the VIPs. Test files open it with `sharedTestbed()` from `@l4gw/dataplane/vitest`.
 */
export { requestedIngress, startTestAnnouncer } from './announcer.js';
export type { TestAnnouncer } from './announcer.js';
export { testbedBinary, TESTBED_BINARIES } from './binaries.js';
export { startClient, tally } from './client.js';
export type { Answer, Client, Protocol } from './client.js';
export { desiredSlice, startEndpointSliceController } from './endpoint-slices.js';
export type { EndpointSliceController, PodEndpoint } from './endpoint-slices.js';
export { eventuallyNoStaleUdpFlows, parseUdpFlows, udpFlows, UDP_FLOW_LIFETIME_MS } from './conntrack.js';
export type { UdpFlow } from './conntrack.js';
export { currentRun } from './identity.js';
export { createNode, startKubeProxy } from './kube-proxy.js';
export { startMetallb } from './metallb.js';
export type { Metallb, MetallbOptions } from './metallb.js';
export { createTopology, deleteTopology, listNamespaces, namespaceOf, reapOrphanedNamespaces } from './namespaces.js';
export { startOperator } from './operator.js';
export type { Operator, OperatorOptions } from './operator.js';
export type { Pod, PodSpec } from './pods.js';
export { missingPrerequisites } from './preflight.js';
export { openTestbed } from './testbed.js';
export type { Testbed } from './testbed.js';
export { ADDRESSES, INTERFACES, NAMESPACE_PREFIX, namespaceNames, NODE_NAME, ownerOfNamespace, OWNER_VARIABLE, POD_NETWORK_RANGE, podNamespaceName } from './topology.js';
export type { NamespaceNames } from './topology.js';
export { CONVERGENCE_TIMEOUT_MS, eventuallyServedBy, eventuallyUnanswered } from './traffic.js';
export { failures, startProber } from './prober.js';
export type { Prober, ProbeRecord, ProbeTarget } from './prober.js';
export { startTestbedServices } from './services.js';
export type { TestbedServices } from './services.js';
export { startPod, stopPod } from './pods.js';
export { createPodNetwork, deletePodNetwork } from './pod-network.js';
export type { PodNetwork } from './pod-network.js';
export { startWorkloads } from './workloads.js';
export type { ContainerProgram, ContainerRuntime, PodIdentity, Workloads, WorkloadsOptions } from './workloads.js';
