import { stringify } from 'yaml';
import { MASTER_FLAG, RECONCILE_FLAGS } from '../options.js';
import { formatIpamReport, ipamReportData } from '../output/ipam.js';
import type { Command } from './command.js';
import { writeErr, writeOut } from './command.js';
import { FILE_FLAG, KUBECONFIG_FLAG, NOW_FLAG, formatDiagnostic, reconcileInput } from './offline.js';

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
    KUBECONFIG_FLAG,
    MASTER_FLAG,
    { kind: 'string', name: 'o', default: 'table', values: ['table', 'json', 'yaml'], usage: 'output format' },
    NOW_FLAG,
    ...RECONCILE_FLAGS,
  ],
  async run(flags) {
    const { desired } = await reconcileInput('ipam', flags, true);
    for (const diagnostic of desired.diagnostics) writeErr(formatDiagnostic(diagnostic));
    const format = flags.string('o');
    if (format === 'table') await writeOut(formatIpamReport(desired));
    else if (format === 'json') await writeOut(`${JSON.stringify(ipamReportData(desired), null, 2)}\n`);
    else await writeOut(stringify(ipamReportData(desired), { lineWidth: 0 }));
    return 0;
  },
};
