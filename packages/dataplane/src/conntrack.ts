// The node namespace's UDP conntrack flows, read from /proc/net/nf_conntrack (per network
// namespace, so inside the test bed this is the node's table, which kube-proxy's DNAT fills).
//
// Why the traffic checks need it: when a UDP Service's endpoints change, kube-proxy switches the
// rules and deletes the conntrack flows that still lead to removed endpoints, but the deletion can
// trail the rules. Measured here (kube-proxy v1.36.3, 19 weight changes): after 60 answers in a row
// from the new endpoint, flows to the removed ones were often still there, for up to 381 ms. Then
// a new client socket whose random source port equals such a flow's is forwarded to the removed
// endpoint by conntrack, before any rule is consulted; the weight-0 test caught exactly that (1 of
// 180 answers from a weight-0 backend). What l4gw controls are the EndpointSlices; a check that no
// removed endpoint answers has to wait for the flows too. Flows nobody deletes time out after 30 s.
import { readFile } from 'node:fs/promises';
import { eventually } from '@l4gw/envtest';

/** One UDP flow: the frontend the client sent to and the endpoint conntrack translated it to. */
export interface UdpFlow {
  /** `ip:port` the client sent to (the VIP and listener port). */
  readonly frontend: string;
  readonly endpointIp: string;
  readonly endpointPort: number;
}

const CONNTRACK_TABLE = '/proc/net/nf_conntrack';

/** How long a UDP flow with one answer lives (nf_conntrack_udp_timeout), plus a margin. */
export const UDP_FLOW_LIFETIME_MS = 35_000;

/**
 * The UDP flows of a conntrack table in the /proc/net/nf_conntrack format: the first
 * `dst=`/`dport=` pair is the original direction's destination, the second `src=`/`sport=` the
 * reply's source (the endpoint, after DNAT).
 */
export function parseUdpFlows(table: string): UdpFlow[] {
  const flows: UdpFlow[] = [];
  for (const line of table.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields[2] !== 'udp') continue;
    const values = (key: string) => fields.filter((field) => field.startsWith(`${key}=`)).map((field) => field.slice(key.length + 1));
    const [frontendIp, frontendPort] = [values('dst')[0], values('dport')[0]];
    const [endpointIp, endpointPort] = [values('src')[1], values('sport')[1]];
    if (frontendIp && frontendPort && endpointIp && endpointPort) flows.push({ frontend: `${frontendIp}:${frontendPort}`, endpointIp, endpointPort: Number(endpointPort) });
  }
  return flows;
}

/** The UDP flows in this network namespace's conntrack table. */
export async function udpFlows(): Promise<UdpFlow[]> {
  return parseUdpFlows(await readFile(CONNTRACK_TABLE, 'utf8'));
}

/**
 * Waits until no UDP flow to host:port is translated to an address outside `endpointIps`: either
 * kube-proxy deleted the stale flows or they timed out. Run it inside the node namespace (the test
 * bed's launcher puts the tests there).
 */
export async function eventuallyNoStaleUdpFlows(host: string, port: number, endpointIps: readonly string[], timeoutMs = UDP_FLOW_LIFETIME_MS): Promise<void> {
  const frontend = `${host}:${port}`;
  const allowed = new Set(endpointIps);
  let stale: UdpFlow[] = [];
  try {
    await eventually(
      `no UDP flow to ${frontend} outside ${endpointIps.join(', ')}`,
      async () => {
        stale = (await udpFlows()).filter((flow) => flow.frontend === frontend && !allowed.has(flow.endpointIp));
        return stale.length === 0;
      },
      timeoutMs,
    );
  } catch (error) {
    const endpoints = [...new Set(stale.map((flow) => `${flow.endpointIp}:${flow.endpointPort}`))].join(', ');
    throw new Error(`udp ${frontend}: ${stale.length} conntrack flows still lead to ${endpoints}`, { cause: error });
  }
}
