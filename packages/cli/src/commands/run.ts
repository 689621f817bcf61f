import { CliError, ExitCode, usageError } from '../errors.js';
import type { FlagSpec, FlagValues } from '../flags.js';
import { chooseKubeConfig, describeSource, loadKubeConfig, overrideServer } from '../kubeconfig.js';
import { LOG_FLAGS, logSettingsFrom } from '../log-flags.js';
import { MASTER_FLAG, RECONCILE_FLAGS, reconcileOptionsFrom } from '../options.js';
import { parseDurationMs } from '../duration.js';
import { cliVersion } from '../version.js';
import type { Command } from './command.js';
import { writeErr } from './command.js';

/** The Lease name when neither -leader-election-id nor its prototype spelling is given. */
export const DEFAULT_LEADER_ELECTION_ID = 'l4gw-leader-election';

/** Flags only the operator has (docs/migration.md compares them with the prototype's). */
export const OPERATOR_FLAGS: readonly FlagSpec[] = [
  {
    kind: 'string',
    name: 'kubeconfig',
    default: '',
    usage: 'path to a kubeconfig; default: $KUBECONFIG (entries merged), then in-cluster, then ~/.kube/config',
  },
  MASTER_FLAG,
  { kind: 'string', name: 'metrics-bind-address', default: ':8080', usage: 'address of the Prometheus /metrics endpoint ("0" disables it)' },
  { kind: 'string', name: 'health-probe-bind-address', default: ':8081', usage: 'address of the /healthz and /readyz endpoints ("0" disables them)' },
  { kind: 'bool', name: 'leader-elect', default: false, usage: 'elect one writer among replicas with a coordination.k8s.io Lease (R4)' },
  {
    kind: 'string',
    name: 'leader-election-namespace',
    default: '',
    usage: 'namespace of the leader-election Lease; default: the pod\'s own namespace',
  },
  {
    kind: 'string',
    name: 'leader-election-id',
    default: DEFAULT_LEADER_ELECTION_ID,
    usage: 'name of the leader-election Lease (the prototype used gateway-api.fnnrn.me)',
  },
  {
    kind: 'string',
    name: 'leader-elect-resource-name',
    default: '',
    usage: 'the same as -leader-election-id (the spelling of the prototype\'s manifest)',
  },
  {
    kind: 'string',
    name: 'resync-period',
    default: '10m',
    usage: 'relist every watched kind this often, as controller-runtime\'s -sync-period (a duration: 10m, 1h)',
  },
  {
    kind: 'string',
    name: 'address-hold',
    default: '5s',
    usage: 'an address a Gateway released goes to no other Gateway for this long, until kube-proxy has dropped the old Service (IP8); 0 hands it out at once',
  },
  ...LOG_FLAGS,
];

/** The Lease name from -leader-election-id or its alias; giving both with different values is a usage error. */
export function leaderElectionIdFrom(flags: FlagValues): string {
  const id = flags.string('leader-election-id');
  const alias = flags.string('leader-elect-resource-name');
  if (alias === '') return id;
  if (flags.isSet('leader-election-id') && alias !== id) {
    throw usageError(`-leader-election-id ${JSON.stringify(id)} and -leader-elect-resource-name ${JSON.stringify(alias)} name different Leases; give one`);
  }
  return alias;
}

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
    const logSettings = logSettingsFrom(flags);
    for (const warning of logSettings.warnings) writeErr(`warning: ${warning}`);
    const leaderElectionId = leaderElectionIdFrom(flags);
    const resyncPeriodMs = parseDurationMs('resync-period', flags.string('resync-period'));
    if (resyncPeriodMs === 0) throw usageError('-resync-period must be longer than 0');
    const addressHoldMs = parseDurationMs('address-hold', flags.string('address-hold'));
    const source = chooseKubeConfig(flags.string('kubeconfig'), process.env, undefined, undefined, flags.string('master'));
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
        leaderElectionId,
        resyncPeriodMs,
        addressHoldMs,
        version: cliVersion(),
        logLevel: logSettings.level,
        logFormat: logSettings.format,
      });
    } catch (error) {
      throw new CliError(ExitCode.runtime, `operator failed to start: ${error instanceof Error ? error.message : String(error)}`);
    }
    handle.log.info('l4gw started', { kubeconfig: describeSource(source), version: cliVersion() });
    // Resolves when the operator stops: SIGTERM/SIGINT (handled by the adapter) or a fatal error.
    await handle.done;
    return 0;
  },
};
