import type { LogFormat, LogLevel } from '@l4gw/adapter-k8s';
import { CliError, ExitCode, usageError } from '../errors.js';
import type { FlagSpec } from '../flags.js';
import { chooseKubeConfig, loadKubeConfig, overrideServer } from '../kubeconfig.js';
import { RECONCILE_FLAGS, reconcileOptionsFrom } from '../options.js';
import type { Command } from './command.js';
import { writeErr } from './command.js';

/** Flags only the operator has (DESIGN.md "Interfaces users expect"), with the prototype's defaults. */
export const OPERATOR_FLAGS: readonly FlagSpec[] = [
  {
    kind: 'string',
    name: 'kubeconfig',
    default: '',
    usage: 'path to a kubeconfig; default: in-cluster, then $KUBECONFIG, then ~/.kube/config',
  },
  {
    kind: 'string',
    name: 'master',
    default: '',
    usage: 'address of the Kubernetes API server; overrides the kubeconfig\'s (as the prototype\'s controller-runtime flag)',
  },
  { kind: 'string', name: 'metrics-bind-address', default: ':8080', usage: 'address of the Prometheus /metrics endpoint ("0" disables it)' },
  { kind: 'string', name: 'health-probe-bind-address', default: ':8081', usage: 'address of the /healthz and /readyz endpoints ("0" disables them)' },
  { kind: 'bool', name: 'leader-elect', default: false, usage: 'elect one writer among replicas with a coordination.k8s.io Lease (R4)' },
  {
    kind: 'string',
    name: 'leader-election-namespace',
    default: '',
    usage: 'namespace of the leader-election Lease; default: the pod\'s own namespace',
  },
  { kind: 'string', name: 'log-level', default: 'info', values: ['debug', 'info', 'warn', 'error'], usage: 'lowest level logged' },
  { kind: 'string', name: 'log-format', default: 'text', values: ['json', 'text'], usage: 'log line format' },
];

/**
 * `l4gw run` (also the default when only flags are given, so the prototype's
 * `gateway-api-controller -metrics-bind-address :8083 -kubeconfig ~/.kube/config` works): starts
 * the operator and resolves when it stops.
 */
export const runCommand: Command = {
  name: 'run',
  summary: 'run the controller against a cluster (the default command)',
  synopsis: 'run [flags]   (or just: l4gw [flags])',
  flags: [...OPERATOR_FLAGS, ...RECONCILE_FLAGS],
  async run(flags) {
    if (flags.rest.length > 0) throw usageError(`run: unexpected argument ${JSON.stringify(flags.rest[0])}`);
    if (flags.isSet('implementation-label')) writeErr('warning: -implementation-label is ignored; l4gw labels generated objects as Gateway API says (GW8)');
    const source = chooseKubeConfig(flags.string('kubeconfig'));
    const kubeConfig = await loadKubeConfig(source);
    overrideServer(kubeConfig, flags.string('master'));
    // Loaded on demand: the offline commands never need the operator or its Kubernetes client.
    const { runOperator } = await import('@l4gw/adapter-k8s');
    const { now: _now, ...reconcile } = reconcileOptionsFrom(flags, new Date().toISOString());
    const namespace = flags.string('leader-election-namespace');
    let handle;
    try {
      handle = await runOperator({
        kubeConfig,
        ...reconcile,
        metricsBindAddress: flags.string('metrics-bind-address'),
        healthProbeBindAddress: flags.string('health-probe-bind-address'),
        leaderElect: flags.bool('leader-elect'),
        ...(namespace === '' ? {} : { leaderElectionNamespace: namespace }),
        // The flag parser restricted both to the listed values.
        logLevel: flags.string('log-level') as LogLevel,
        logFormat: flags.string('log-format') as LogFormat,
      });
    } catch (error) {
      throw new CliError(ExitCode.runtime, `operator failed to start: ${error instanceof Error ? error.message : String(error)}`);
    }
    handle.log.info('l4gw started', { kubeconfig: source.kind === 'in-cluster' ? 'in-cluster' : source.path });
    // Resolves when the operator stops: SIGTERM/SIGINT (handled by the adapter) or a fatal error.
    await handle.done;
    return 0;
  },
};
