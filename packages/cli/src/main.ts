// The binary: run the CLI on the process arguments and exit with its code. Setting exitCode
// (rather than calling process.exit) lets stdout drain when it is a pipe.
import { main, report } from './cli.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = report(error);
  },
);
