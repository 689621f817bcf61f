// `pnpm bench`: builds the packages (see package.json), then runs every benchmark section in order
// and prints their tables. `node bench/run.ts ipam core` runs only the named sections.
//
// A section is a file beside this one whose default export is `async () => void` printing its
// tables with ./lib.ts. To add one, add a line to SECTIONS.

const SECTIONS: readonly string[] = [
  'ipam',
  'core',
  'e2e',
  'dataplane',
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !SECTIONS.includes(name));
if (unknown.length > 0) {
  console.error(`unknown bench section(s): ${unknown.join(', ')}; known: ${SECTIONS.join(', ')}`);
  process.exit(2);
}

console.log(`l4gw benchmarks — Node ${process.version}, ${process.platform}/${process.arch}, ${new Date().toISOString()}`);
// A section that fails (say, e2e without its binaries) is reported and the others still run;
// the exit code says something failed.
const failed: string[] = [];
for (const name of SECTIONS) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  try {
    const section = (await import(`./${name}.ts`)) as { default: () => Promise<void> | void };
    await section.default();
  } catch (error) {
    failed.push(name);
    console.error(`\nbench section "${name}" failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
if (failed.length > 0) {
  console.error(`\nfailed bench sections: ${failed.join(', ')}`);
  process.exitCode = 1;
}
