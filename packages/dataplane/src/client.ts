import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { registerExitCleanup } from '@l4gw/envtest';
import { agentScript, inNamespace } from './agents.js';

export type Protocol = 'tcp' | 'udp';

/** What one request got: the answering backend's name, or why there was none. */
export type Answer = { answer: string } | { error: string };

/** The client namespace's sender (src/agents/client-agent.ts), driven from the test process. */
export interface Client {
  /** One request on a fresh socket; resolves with the answer or the error (never rejects). */
  request(protocol: Protocol, host: string, port: number, timeoutMs?: number): Promise<Answer>;
  /** `count` requests at once; their answers, in order. */
  sample(protocol: Protocol, host: string, port: number, count?: number, timeoutMs?: number): Promise<Answer[]>;
  stop(): Promise<void>;
}

/** The names that answered among `answers`, and how many requests got no answer. */
export function tally(answers: readonly Answer[]): { byName: Map<string, number>; failed: number } {
  const byName = new Map<string, number>();
  let failed = 0;
  for (const a of answers) {
    if ('answer' in a) byName.set(a.answer, (byName.get(a.answer) ?? 0) + 1);
    else failed++;
  }
  return { byName, failed };
}

/** Starts the client agent inside `namespace` and resolves once it is ready for requests. */
export async function startClient(namespace: string): Promise<Client> {
  const child = spawn('ip', inNamespace(namespace, agentScript('client-agent'), []), { stdio: ['pipe', 'pipe', 'inherit'] });
  const unregister = registerExitCleanup(() => child.kill('SIGKILL'));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waiting = new Map<number, (answer: Answer) => void>();
  let nextId = 1;
  const lines = createInterface({ input: child.stdout });
  const ready = new Promise<void>((resolve, reject) => {
    void exited.then(() => reject(new Error(`the client agent in ${namespace} exited before it was ready`)));
    lines.on('line', (line) => {
      if (line === 'ready') return resolve();
      const reply = JSON.parse(line) as { id: number } & Answer;
      const { id, ...answer } = reply;
      waiting.get(id)?.(answer as Answer);
      waiting.delete(id);
    });
  });
  await ready;
  const request = (protocol: Protocol, host: string, port: number, timeoutMs = 1_000): Promise<Answer> =>
    new Promise((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      child.stdin.write(`${JSON.stringify({ id, protocol, host, port, timeoutMs })}\n`);
    });
  return {
    request,
    sample: (protocol, host, port, count = 20, timeoutMs = 1_000) =>
      Promise.all(Array.from({ length: count }, () => request(protocol, host, port, timeoutMs))),
    async stop() {
      child.stdin.end();
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2_000))]);
      child.kill('SIGKILL');
      await exited;
      unregister();
    },
  };
}
