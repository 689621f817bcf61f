import { stringify } from 'yaml';
import { RECONCILE_FLAGS } from '../options.js';
import { formatIpamReport, ipamReportData } from '../output/ipam.js';
import type { Command } from './command.js';
import { writeErr, writeOut } from './command.js';
import { FILE_FLAG, NOW_FLAG, formatDiagnostic, reconcileFiles } from './offline.js';

/**
 * `l4gw ipam -f …`: pool usage per pool and family and who holds which address (IP7), computed
 * by the same reconcile the controller runs, so it shows what the controller would assign.
 */
export const ipamCommand: Command = {
  name: 'ipam',
  summary: 'show IP pool usage and which Gateway holds which address',
  synopsis: 'ipam -f <files or dirs> [-o table|json|yaml] [flags]',
  flags: [
    FILE_FLAG,
    { kind: 'string', name: 'o', default: 'table', values: ['table', 'json', 'yaml'], usage: 'output format' },
    NOW_FLAG,
    ...RECONCILE_FLAGS,
  ],
  async run(flags) {
    const { desired } = reconcileFiles('ipam', flags);
    for (const diagnostic of desired.diagnostics) writeErr(formatDiagnostic(diagnostic));
    const format = flags.string('o');
    if (format === 'table') await writeOut(formatIpamReport(desired));
    else if (format === 'json') await writeOut(`${JSON.stringify(ipamReportData(desired), null, 2)}\n`);
    else await writeOut(stringify(ipamReportData(desired), { lineWidth: 0 }));
    return 0;
  },
};
