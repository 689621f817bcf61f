import type { Answer, Client, Protocol } from './client.js';

/** One target the prober keeps sending to. */
export interface ProbeTarget {
  readonly protocol: Protocol;
  readonly host: string;
  readonly port: number;
}

/** One request the prober sent: when (ms since the epoch), to what, and what came back. */
export interface ProbeRecord {
  readonly at: number;
  readonly target: ProbeTarget;
  readonly answer: Answer;
}

/** A running prober; `stop()` waits for the requests in flight and returns every record. */
export interface Prober {
  stop(): Promise<ProbeRecord[]>;
}

/**
 * Sends one request to every target each `intervalMs` (without waiting for earlier answers, so a
 * slow answer does not stretch the interval), as continuous traffic during an event such as an
 * operator restart. Counting the records without an answer bounds what the event cost.
 */
export function startProber(client: Client, targets: readonly ProbeTarget[], intervalMs = 50, timeoutMs = 2_000): Prober {
  const records: Promise<ProbeRecord>[] = [];
  const tick = (): void => {
    for (const target of targets) {
      const at = Date.now();
      records.push(client.request(target.protocol, target.host, target.port, timeoutMs).then((answer) => ({ at, target, answer })));
    }
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      return Promise.all(records);
    },
  };
}

/** Records without an answer. */
export function failures(records: readonly ProbeRecord[]): ProbeRecord[] {
  return records.filter((r) => 'error' in r.answer);
}
