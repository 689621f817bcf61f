import type { Desired } from '@l4gw/core';
import { stringify } from 'yaml';
import { snapshotFromCluster } from '../cluster-snapshot.js';
import { coreEngine } from '../engine.js';
import { CliError, ExitCode, usageError } from '../errors.js';
import type { FlagValues } from '../flags.js';
import { chooseKubeConfig, loadKubeConfig } from '../kubeconfig.js';
import { RECONCILE_FLAGS, reconcileOptionsFrom } from '../options.js';
import { formatIpamReport, ipamReportData } from '../output/ipam.js';
import type { Command } from './command.js';
import { writeErr, writeOut } from './command.js';
import { FILE_FLAG, NOW_FLAG, formatDiagnostic, reconcileFiles } from './offline.js';

/** Reconciles a live cluster once, read-only, with the same options the operator would use. */
async function desiredFromCluster(flags: FlagValues): Promise<Desired> {
  if (flags.rest.length > 0) throw usageError(`ipam: unexpected argument ${JSON.stringify(flags.rest[0])} (files are given with -f)`);
  const kubeConfig = await loadKubeConfig(chooseKubeConfig(flags.string('kubeconfig')));
  let snapshot;
  try {
    snapshot = await snapshotFromCluster(kubeConfig);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(ExitCode.runtime, `cannot read the cluster: ${error instanceof Error ? error.message : String(error)}`);
  }
  return coreEngine().reconcile(snapshot, reconcileOptionsFrom(flags, new Date().toISOString()));
}

/**
 * `l4gw ipam`: pool usage per pool and family and who holds which address (IP7), computed by the
 * same reconcile the controller runs: from manifests (`-f`, what the controller would assign) or,
 * without `-f`, from the cluster (read-only; nothing is written).
 */
export const ipamCommand: Command = {
  name: 'ipam',
  summary: 'show IP pool usage and which Gateway holds which address',
  synopsis: 'ipam [-f <files or dirs> | -kubeconfig <path>] [-o table|json|yaml] [flags]',
  flags: [
    FILE_FLAG,
    {
      kind: 'string',
      name: 'kubeconfig',
      default: '',
      usage: 'without -f, read the cluster: this kubeconfig, else in-cluster, then $KUBECONFIG, then ~/.kube/config',
    },
    { kind: 'string', name: 'o', default: 'table', values: ['table', 'json', 'yaml'], usage: 'output format' },
    NOW_FLAG,
    ...RECONCILE_FLAGS,
  ],
  async run(flags) {
    if (flags.list('f').length > 0 && flags.isSet('kubeconfig')) throw usageError('ipam: give -f (files) or -kubeconfig (a cluster), not both');
    const desired = flags.list('f').length > 0 ? reconcileFiles('ipam', flags).desired : await desiredFromCluster(flags);
    for (const diagnostic of desired.diagnostics) writeErr(formatDiagnostic(diagnostic));
    const format = flags.string('o');
    if (format === 'table') await writeOut(formatIpamReport(desired));
    else if (format === 'json') await writeOut(`${JSON.stringify(ipamReportData(desired), null, 2)}\n`);
    else await writeOut(stringify(ipamReportData(desired), { lineWidth: 0 }));
    return 0;
  },
};
