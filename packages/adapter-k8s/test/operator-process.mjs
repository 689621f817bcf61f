// Runs the operator in a child process, as a deployment would (tests that kill it, and the bench
// that measures its memory). Options come as JSON in argv[2]; with an IPC channel the parent can
// ask for {writes, writesBy, reconciles, maxRssBytes} by sending 'stats'. Imports the built package.
import { runOperator } from '@l4gw/adapter-k8s';

const options = JSON.parse(process.argv[2] ?? '{}');
const handle = await runOperator({ ...options, handleSignals: true });
await handle.whenSynced();
process.send?.({ type: 'synced', metricsAddress: handle.metricsAddress });
process.on('message', async (msg) => {
  if (msg === 'stats') {
    globalThis.gc?.(); // with --expose-gc, heapUsed is the live heap
    const counter = await handle.metrics.apiWrites.get();
    process.send?.({
      type: 'stats',
      writes: handle.writes(),
      writesBy: Object.fromEntries(
        counter.values.map((v) => [`${v.labels.kind}/${v.labels.verb}/${v.labels.result}`, v.value]),
      ),
      reconciles: handle.reconciles(),
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      memory: process.memoryUsage(),
    });
  }
});
await handle.done;
process.disconnect?.();
