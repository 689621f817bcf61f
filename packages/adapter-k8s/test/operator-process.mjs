// Runs the operator in a child process, as a deployment would (tests that kill it, and the bench
// that measures its memory). Options come as JSON in argv[2]; with an IPC channel the parent can
// ask for the figures below by sending 'stats' (test/process.ts reads them). Imports the built package.
import { runOperator } from '@l4gw/adapter-k8s';

/** How often the heap is sampled for its peak: V8 reports no peak of its own. */
const HEAP_SAMPLE_MS = 250;

const options = JSON.parse(process.argv[2] ?? '{}');
const handle = await runOperator({ ...options, handleSignals: true });
let peakHeapUsed = 0;
let peakHeapTotal = 0;
const sampleHeap = () => {
  const { heapUsed, heapTotal } = process.memoryUsage();
  peakHeapUsed = Math.max(peakHeapUsed, heapUsed);
  peakHeapTotal = Math.max(peakHeapTotal, heapTotal);
};
const sampler = setInterval(sampleHeap, HEAP_SAMPLE_MS);
sampler.unref();
// The parent gone (even SIGKILLed, which runs none of its exit hooks) closes the IPC channel: stop
// instead of running on as an orphan that keeps writing to whatever API server is left.
process.on('disconnect', () => {
  void handle.stop();
  setTimeout(() => process.exit(1), 10_000).unref();
});
await handle.whenSynced();
process.send?.({ type: 'synced', metricsAddress: handle.metricsAddress });
process.on('message', async (msg) => {
  if (msg === 'stats') {
    sampleHeap(); // before the forced GC, which would hide the garbage the peak includes
    globalThis.gc?.(); // with --expose-gc, heapUsed is the live heap
    const byLabels = async (metric, key) => Object.fromEntries((await metric.get()).values.map((v) => [key(v.labels), v.value]));
    const cpu = process.cpuUsage();
    process.send?.({
      type: 'stats',
      writes: handle.writes(),
      writesBy: await byLabels(handle.metrics.apiWrites, (l) => `${l.kind}/${l.verb}/${l.result}`),
      requestsBy: await byLabels(handle.metrics.restClientRequests, (l) => `${l.method}/${l.code}`),
      reconciles: handle.reconciles(),
      cpuMicros: cpu.user + cpu.system,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      peakHeapUsedBytes: peakHeapUsed,
      peakHeapTotalBytes: peakHeapTotal,
      memory: process.memoryUsage(),
    });
  }
});
await handle.done;
clearInterval(sampler);
process.disconnect?.();
