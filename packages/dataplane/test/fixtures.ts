// Objects the data-plane tests apply: small builders, so each test reads as its story.
import { CustomObjectsApi, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { eventually } from '@l4gw/envtest';
import type { Pod, Testbed } from '@l4gw/dataplane';

export const GATEWAY_API = 'gateway.networking.k8s.io/v1';
/** Backend pods listen here; backend Services map their own ports onto these. */
export const POD_TCP_PORT = 9000;
export const POD_UDP_PORT = 9001;
/** The Gateway's listeners. */
export const GATEWAY_TCP_PORT = 8080;
export const GATEWAY_UDP_PORT = 5353;
/** The kube-vip-style VIP pool (routed to the node by the client). */
export const ROUTED_POOL = '10.77.0.10-10.77.0.200';

export type TestObject = KubernetesObject & Record<string, unknown>;

export function ipamConfigMap(namespace: string, range: string): TestObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ipam', namespace }, data: { 'range-global': range } };
}

export function gatewayClass(name: string, controllerName: string): TestObject {
  return { apiVersion: GATEWAY_API, kind: 'GatewayClass', metadata: { name }, spec: { controllerName } };
}

export interface Listener {
  name: string;
  protocol: 'TCP' | 'UDP';
  port: number;
}

export const TCP_LISTENER: Listener = { name: 'tcp', protocol: 'TCP', port: GATEWAY_TCP_PORT };
export const UDP_LISTENER: Listener = { name: 'udp', protocol: 'UDP', port: GATEWAY_UDP_PORT };

export function gateway(namespace: string, name: string, className: string, listeners: Listener[] = [TCP_LISTENER, UDP_LISTENER]): TestObject {
  return {
    apiVersion: GATEWAY_API,
    kind: 'Gateway',
    metadata: { name, namespace },
    spec: {
      gatewayClassName: className,
      listeners: listeners.map((l) => ({ ...l, allowedRoutes: { namespaces: { from: 'Same' } } })),
    },
  };
}

export interface BackendRef {
  name: string;
  port: number;
  weight?: number;
  namespace?: string;
}

/** A TCPRoute or UDPRoute on one listener of `gatewayName`. */
export function route(
  kind: 'TCPRoute' | 'UDPRoute',
  namespace: string,
  name: string,
  gatewayName: string,
  sectionName: string,
  backendRefs: BackendRef[],
  labels: Record<string, string> = {},
): TestObject {
  return {
    apiVersion: GATEWAY_API,
    kind,
    metadata: { name, namespace, labels },
    spec: { parentRefs: [{ name: gatewayName, sectionName }], rules: [{ backendRefs }] },
  };
}

/** A backend Service selecting `selector`, TCP `tcpPort` → pods' TCP port, UDP `udpPort` → pods' UDP port. */
export function backendService(namespace: string, name: string, selector: Record<string, string>, tcpPort: number, udpPort: number): TestObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: {
      selector,
      ports: [
        { name: 'tcp', protocol: 'TCP', port: tcpPort, targetPort: POD_TCP_PORT },
        { name: 'udp', protocol: 'UDP', port: udpPort, targetPort: POD_UDP_PORT },
      ],
    },
  };
}

/** The ports of the `echo` backend Service (TCP and UDP), mapped onto the pods' ports. */
export const ECHO_TCP_PORT = 7000;
export const ECHO_UDP_PORT = 7001;

/**
 * The usual scene: Service `echo` (selecting app=echo, in `backendNamespace`) behind Gateway `gw`
 * of `className`, with TCPRoute `tcp` and UDPRoute `udp` on its two listeners.
 */
export function echoGateway(namespace: string, className: string, backendNamespace = namespace): TestObject[] {
  const ref = (port: number): BackendRef => ({ name: 'echo', port, ...(backendNamespace === namespace ? {} : { namespace: backendNamespace }) });
  return [
    backendService(backendNamespace, 'echo', { app: 'echo' }, ECHO_TCP_PORT, ECHO_UDP_PORT),
    gateway(namespace, 'gw', className),
    route('TCPRoute', namespace, 'tcp', 'gw', 'tcp', [ref(ECHO_TCP_PORT)]),
    route('UDPRoute', namespace, 'udp', 'gw', 'udp', [ref(ECHO_UDP_PORT)]),
  ];
}

/** Starts pods labelled app=echo with these names in `namespace`. */
export async function startEchoPods(bed: Testbed, namespace: string, names: readonly string[]): Promise<Pod[]> {
  const pods: Pod[] = [];
  for (const name of names) pods.push(await bed.startPod(podSpec(namespace, name, { app: 'echo' })));
  return pods;
}

/** A backend pod serving TCP and UDP on the pod ports. */
export function podSpec(namespace: string, name: string, labels: Record<string, string>) {
  return { name, namespace, labels, tcpPorts: [POD_TCP_PORT], udpPorts: [POD_UDP_PORT] };
}

interface GatewayStatus {
  status?: { addresses?: { value?: string }[]; conditions?: { type: string; status: string }[] };
}

/** Waits until the Gateway is Programmed with an address, and returns the address. */
export async function gatewayAddress(kubeConfig: KubeConfig, namespace: string, name: string): Promise<string> {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  return eventually(`Gateway ${namespace}/${name} Programmed with an address`, async () => {
    const gw = (await api.getNamespacedCustomObject({ group: 'gateway.networking.k8s.io', version: 'v1', namespace, plural: 'gateways', name })) as GatewayStatus;
    const programmed = gw.status?.conditions?.some((c) => c.type === 'Programmed' && c.status === 'True');
    return programmed ? gw.status?.addresses?.[0]?.value : undefined;
  }, 30_000);
}

/** Applies a fresh namespace's IPAM ConfigMap and GatewayClass and starts an operator for it. */
export async function operatorFor(bed: Testbed, namespace: string, className: string, options: { lbAnnotations?: 'kube-vip' | 'metallb'; range?: string } = {}) {
  const controllerName = `l4dp.test/${className}`;
  await bed.apply(ipamConfigMap(namespace, options.range ?? ROUTED_POOL), gatewayClass(className, controllerName));
  return bed.startOperator({
    controllerName,
    ipamConfigMap: `${namespace}/ipam`,
    ...(options.lbAnnotations ? { lbAnnotations: options.lbAnnotations } : {}),
  });
}
