// Runs the operator in a child process, as a deployment would (tests that kill it, and the bench
// that measures its memory). Options come as JSON in argv[2]; with an IPC channel the parent can
// ask for {writes, maxRssBytes} by sending 'stats'. Imports the built package (pnpm build).
import { runOperator } from '@l4gw/adapter-k8s';

const options = JSON.parse(process.argv[2] ?? '{}');
const handle = await runOperator({ ...options, handleSignals: true });
await handle.whenSynced();
process.send?.({ type: 'synced', metricsAddress: handle.metricsAddress });
process.on('message', (msg) => {
  if (msg === 'stats') {
    process.send?.({
      type: 'stats',
      writes: handle.writes(),
      reconciles: handle.reconciles(),
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
    });
  }
});
await handle.done;
process.disconnect?.();
