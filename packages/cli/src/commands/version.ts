import { cliVersion } from '../version.js';
import type { Command } from './command.js';
import { writeOut } from './command.js';

export const versionCommand: Command = {
  name: 'version',
  summary: 'print the version',
  synopsis: 'version',
  flags: [],
  async run() {
    await writeOut(`l4gw ${cliVersion()} (node ${process.versions.node})\n`);
    return 0;
  },
};
