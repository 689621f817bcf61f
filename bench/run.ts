// `pnpm bench`: builds the packages (see package.json), then runs every benchmark section in order
// and prints their tables. `node bench/run.ts ipam core` runs only the named sections; flags a
// section declares follow, e.g. `pnpm bench e2e --gateways 100,1000,10000`.
//
// A section is a file beside this one whose default export is `async (flags) => void` printing
// its tables with ./lib.ts, and which may export `flags`: the util.parseArgs options it accepts
// (string values only, with a `default` and a `help`). To add one, add a line to SECTIONS.

import { parseArgs } from 'node:util';
import type { SectionFlags } from './lib.ts';

const SECTIONS: readonly string[] = [
  'ipam',
  'core',
  'e2e',
  'dataplane',
];

interface Section {
  readonly default: (flags: Readonly<Record<string, string>>) => Promise<void> | void;
  readonly flags?: SectionFlags;
}

// Every section is loaded first, to know all the flags; one that fails to load fails alone.
const loaded = new Map<string, Section | Error>();
for (const name of SECTIONS) {
  loaded.set(name, await import(`./${name}.ts`).then((module: Section) => module, (error: unknown) => (error instanceof Error ? error : new Error(String(error)))));
}
const declared: SectionFlags = Object.assign({}, ...[...loaded.values()].map((section) => (section instanceof Error ? {} : (section.flags ?? {}))));

function usage(): string {
  const flags = Object.entries(declared).map(([flag, spec]) => `  --${flag} <value>  ${spec.help} (default ${spec.default})`);
  return `usage: node bench/run.ts [section ...] [flags]\nsections: ${SECTIONS.join(', ')}\nflags:\n${flags.join('\n')}`;
}

const parsed = (() => {
  try {
    return parseArgs({ args: process.argv.slice(2), options: declared, allowPositionals: true, strict: true });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage()}`);
    return process.exit(2);
  }
})();
const wanted = parsed.positionals;
const unknown = wanted.filter((name) => !SECTIONS.includes(name));
if (unknown.length > 0) {
  console.error(`unknown bench section(s): ${unknown.join(', ')}\n${usage()}`);
  process.exit(2);
}
const flags = parsed.values as Readonly<Record<string, string>>;

console.log(`l4gw benchmarks — Node ${process.version}, ${process.platform}/${process.arch}, ${new Date().toISOString()}`);
// A section that fails (say, e2e without its binaries) is reported and the others still run;
// the exit code says something failed.
const failed: string[] = [];
for (const [name, section] of loaded) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  try {
    if (section instanceof Error) throw section;
    await section.default(flags);
  } catch (error) {
    failed.push(name);
    console.error(`\nbench section "${name}" failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
if (failed.length > 0) {
  console.error(`\nfailed bench sections: ${failed.join(', ')}`);
  process.exitCode = 1;
}
