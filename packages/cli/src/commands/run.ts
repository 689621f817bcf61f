import * as adapter from '@l4gw/adapter-k8s';
import { CliError, ExitCode, usageError } from '../errors.js';
import type { FlagSpec } from '../flags.js';
import { chooseKubeConfig, loadKubeConfig } from '../kubeconfig.js';
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
    const runOperator = (adapter as Record<string, unknown>)['runOperator'];
    if (typeof runOperator !== 'function') {
      throw new CliError(ExitCode.runtime, 'this build of @l4gw/adapter-k8s does not export runOperator() yet');
    }
    if (flags.isSet('implementation-label')) writeErr('warning: -implementation-label is ignored; l4gw labels generated objects as Gateway API says (GW8)');
    const source = chooseKubeConfig(flags.string('kubeconfig'));
    const kubeConfig = loadKubeConfig(source);
    const { now: _now, ...reconcile } = reconcileOptionsFrom(flags, new Date().toISOString());
    try {
      await (runOperator as (options: Record<string, unknown>) => Promise<void>)({
        kubeConfig,
        reconcile,
        metricsBindAddress: flags.string('metrics-bind-address'),
        healthProbeBindAddress: flags.string('health-probe-bind-address'),
        leaderElect: flags.bool('leader-elect'),
        leaderElectionNamespace: flags.string('leader-election-namespace'),
        logLevel: flags.string('log-level'),
        logFormat: flags.string('log-format'),
      });
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError(ExitCode.runtime, `operator failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    return 0;
  },
};
