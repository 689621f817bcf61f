import { readinessProblems } from '../check.js';
import { ExitCode } from '../errors.js';
import { MASTER_FLAG, RECONCILE_FLAGS } from '../options.js';
import { formatList } from '../output/list.js';
import { formatSummary } from '../output/summary.js';
import type { Command } from './command.js';
import { writeErr, writeOut } from './command.js';
import { FILE_FLAG, KUBECONFIG_FLAG, NOW_FLAG, formatDiagnostic, formatEvent, reconcileInput } from './offline.js';

/**
 * `l4gw reconcile -f …`: the controller's dry run. Prints every input object with the status l4gw
 * would write and every object it would create (a `List`), or a summary table.
 */
export const reconcileCommand: Command = {
  name: 'reconcile',
  summary: 'print what the controller would do to manifests, without a cluster',
  synopsis: 'reconcile (-f <files or dirs> | -kubeconfig <path>) [-o yaml|json|table] [-check] [flags]',
  flags: [
    FILE_FLAG,
    KUBECONFIG_FLAG,
    MASTER_FLAG,
    { kind: 'string', name: 'o', default: 'yaml', values: ['yaml', 'json', 'table'], usage: 'output format' },
    NOW_FLAG,
    {
      kind: 'bool',
      name: 'check',
      default: false,
      usage:
        'exit 5 unless a class and a Gateway of ours exist, every class of ours is Accepted, every Gateway Programmed and every route Accepted with resolved refs (a CI gate)',
    },
    ...RECONCILE_FLAGS,
  ],
  async run(flags) {
    const check = flags.bool('check');
    const { cluster, snapshot, desired, fromCluster } = await reconcileInput('reconcile', flags, false, check ? ExitCode.checkFailed : ExitCode.runtime);
    const format = flags.string('o');
    for (const diagnostic of desired.diagnostics) writeErr(formatDiagnostic(diagnostic));
    if (format === 'table') {
      const events = desired.events.map(formatEvent);
      const tail = events.length === 0 ? '' : `\n${events.join('\n')}\n`;
      await writeOut(formatSummary(cluster.output(), flags.string('gateway-class-name')) + tail);
    } else {
      for (const event of desired.events) writeErr(formatEvent(event));
      await writeOut(formatList(cluster.output(), format === 'json' ? 'json' : 'yaml'));
    }
    if (!check) return ExitCode.ok;
    const { problems, warnings } = readinessProblems(snapshot, desired, flags.string('gateway-class-name'), fromCluster ? 'cluster' : 'files');
    for (const warning of warnings) writeErr(`warning: ${warning}`);
    for (const problem of problems) writeErr(`check: ${problem}`);
    return problems.length === 0 ? ExitCode.ok : ExitCode.checkFailed;
  },
};
