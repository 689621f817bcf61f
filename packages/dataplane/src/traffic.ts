import { eventually } from '@l4gw/envtest';
import { tally, type Client, type Protocol } from './client.js';

/** What the traffic checks wait for at most: kube-proxy syncs at most once a second, l4gw within ~1 s. */
export const CONVERGENCE_TIMEOUT_MS = 30_000;

function describe(byName: Map<string, number>, failed: number): string {
  const served = [...byName].map(([name, n]) => `${name}×${n}`).join(', ');
  return `${served || 'nobody answered'}${failed ? `, ${failed} without answer` : ''}`;
}

/**
 * Waits until a round of `count` requests to host:port is answered in full, by exactly the pods
 * named (each at least once, nobody else), and returns how many each answered. kube-proxy picks an
 * endpoint at random per connection, so 20 requests miss one of two endpoints with probability 2^-19.
 */
export async function eventuallyServedBy(
  client: Client,
  protocol: Protocol,
  host: string,
  port: number,
  names: readonly string[],
  { count = 20, timeoutMs = CONVERGENCE_TIMEOUT_MS }: { count?: number; timeoutMs?: number } = {},
): Promise<Map<string, number>> {
  let last = '';
  const wanted = [...names].sort().join(',');
  try {
    return await eventually(
      `${protocol} ${host}:${port} served by ${wanted}`,
      async () => {
        const { byName, failed } = tally(await client.sample(protocol, host, port, count));
        last = describe(byName, failed);
        return failed === 0 && [...byName.keys()].sort().join(',') === wanted ? byName : undefined;
      },
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`${protocol} ${host}:${port}: expected answers from exactly ${wanted}; last round: ${last}`, { cause: error });
  }
}

/**
 * Waits until nothing answers on host:port any more (a round of requests all fail). Which error a
 * probe sees varies (unreachable, refused, timeout: Linux rate-limits ICMP errors), so only "no
 * answer" is asserted.
 */
export async function eventuallyUnanswered(
  client: Client,
  protocol: Protocol,
  host: string,
  port: number,
  { count = 3, timeoutMs = CONVERGENCE_TIMEOUT_MS }: { count?: number; timeoutMs?: number } = {},
): Promise<void> {
  let last = '';
  try {
    await eventually(
      `${protocol} ${host}:${port} unanswered`,
      async () => {
        const { byName, failed } = tally(await client.sample(protocol, host, port, count, 500));
        last = describe(byName, failed);
        return failed === count;
      },
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`${protocol} ${host}:${port}: expected no answers; last round: ${last}`, { cause: error });
  }
}
