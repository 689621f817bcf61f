// The CLI's failure modes as a spawned process: distinct exit codes and messages that say what
// to fix (file and line for manifests).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT, runCli } from './run-cli.js';

function tempFile(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'l4gw-cli-')), name);
  writeFileSync(path, content);
  return path;
}

describe('l4gw exit codes', () => {
  it('should exit 2 on an unknown flag, also for the default run command', () => {
    for (const args of [['reconcile', '-f', 'examples', '-bogus'], ['-metrics-bind-address', ':0', '-bogus']]) {
      const result = runCli(args);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('flag provided but not defined: -bogus');
    }
  });

  it('should exit 2 on an unknown command, a missing -f, a stray argument and a bad -o or -now', () => {
    expect(runCli(['frobnicate']).status).toBe(2);
    const missing = runCli(['reconcile']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('at least one -f');
    const stray = runCli(['reconcile', '-f', 'examples', 'examples/create']);
    expect(stray.status).toBe(2);
    expect(stray.stderr).toContain('unexpected argument "examples/create"');
    expect(runCli(['reconcile', '-f', 'examples', '-o', 'xml']).status).toBe(2);
    expect(runCli(['reconcile', '-f', 'examples', '-now', 'yesterday']).status).toBe(2);
    expect(runCli(['ipam', '-f', 'examples', '-service-behaviour', 'proxy']).status).toBe(2);
  });

  it('should exit 2 on a duration flag that is not a duration, or a resync period of 0, before connecting', () => {
    for (const [args, message] of [
      [['run', '-address-hold', '5'], 'invalid value "5" for flag -address-hold'],
      [['run', '-resync-period', '10 minutes'], 'invalid value "10 minutes" for flag -resync-period'],
      [['run', '-resync-period', '0'], '-resync-period must be longer than 0'],
    ] as const) {
      const result = runCli(args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(message);
    }
  });

  it('should exit 3 when a file cannot be read', () => {
    const result = runCli(['reconcile', '-f', 'examples/does-not-exist.yaml']);
    expect(result.status).toBe(3);
    expect(result.stderr).toBe('l4gw: cannot read examples/does-not-exist.yaml: no such file or directory\n');
  });

  it('should exit 3 when a file exists but is not readable', () => {
    const path = tempFile('secret.yaml', 'apiVersion: v1\n');
    chmodSync(path, 0o000);
    const result = runCli(['reconcile', '-f', path]);
    // root reads any file; the check is meaningful only for other users.
    if (process.getuid?.() === 0) expect(result.status).not.toBe(3);
    else expect(result.status).toBe(3);
  });

  it('should exit 4 on invalid YAML, naming the file and line', () => {
    const path = tempFile('broken.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: [1, 2\n');
    const result = runCli(['reconcile', '-f', path]);
    expect(result.status).toBe(4);
    expect(result.stderr).toMatch(new RegExp(`^l4gw: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: invalid YAML: `));
  });

  it('should exit 4 on two different objects with the same name, naming both places', () => {
    const a = tempFile('a.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: n}\ndata: {k: "1"}\n');
    const b = tempFile('b.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: n}\ndata: {k: "2"}\n');
    const result = runCli(['reconcile', '-f', a, '-f', b]);
    expect(result.status).toBe(4);
    expect(result.stderr).toBe(`l4gw: ${b}:1: ConfigMap n/x is also defined, differently, at ${a}:1\n`);
  });

  const listeners = (entries: string[]): string =>
    `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: n}\nspec:\n  gatewayClassName: c\n  listeners:\n${entries.join('')}`;
  const listener = (name: string, port: string, protocol = 'TCP'): string => `  - name: ${name}\n    protocol: ${protocol}\n    port: ${port}\n`;

  it.each([
    ['a port outside 1-65535', listeners([listener('a', '80'), listener('b', '70000')]), 12, 'spec.listeners[1].port 70000 is outside 1-65535'],
    ['a port of the wrong type', listeners([listener('a', '"80"')]), 9, 'spec.listeners[0].port must be an integer, not the string "80"'],
    ['two listeners with one name', listeners([listener('a', '80'), listener('a', '81')]), 10, 'spec.listeners[1].name listener name "a" is already used by spec.listeners[0]'],
    ['two listeners on one port and protocol', listeners([listener('a', '80'), listener('b', '80')]), 10, 'spec.listeners[1] port 80, protocol TCP are already used by spec.listeners[0]'],
    ['more than 64 listeners', listeners(Array.from({ length: 65 }, (_, i) => listener(`l${i}`, String(1000 + i)))), 7, 'spec.listeners has 65 items; at most 64 are allowed'],
    ['no listeners', 'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: n}\nspec:\n  gatewayClassName: c\n', 5, 'spec.listeners is required'],
    [
      'a route backend weight that is not a number',
      'apiVersion: gateway.networking.k8s.io/v1\nkind: TCPRoute\nmetadata: {name: r, namespace: n}\nspec:\n  rules:\n  - backendRefs:\n    - name: s\n      port: 80\n      weight: heavy\n',
      9,
      'spec.rules[0].backendRefs[0].weight must be an integer, not the string "heavy"',
    ],
  ])('should exit 4 on %s, naming the file, the line and the field as the API server would refuse it', (_case, text, line, message) => {
    const path = tempFile('gateway.yaml', text);
    const result = runCli(['reconcile', '-f', path]);
    expect(result.status).toBe(4);
    expect(result.stderr).toContain(`${path}:${line}: `);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('the API server would refuse it');
  });

  it('should exit 0 on a dry run with a broken IPAM key, printing core\'s diagnostic once on stderr', () => {
    const path = tempFile('pools.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kubevip, namespace: kube-system}\ndata: {range-global: "10.0.0.1-10.0.0.5, banana"}\n');
    const result = runCli(['reconcile', '-f', 'examples/endpoints/00-namespace.yaml', '-f', path, '-o', 'json']);
    expect(result.status).toBe(0);
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('error: '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('range-global');
    expect(errors[0]).toContain('"banana"');
    expect(errors[0]?.match(/ConfigMap kube-system\/kubevip/g)).toHaveLength(1);
    // The Event a cluster would get, printed on stderr beside the List, naming its object once too.
    const events = result.stderr.split('\n').filter((line) => line.startsWith('event: Warning') && line.includes('"banana"'));
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(event.match(/kube-system\/kubevip/g)).toHaveLength(1);
  });

  it('should read manifests from standard input with -f -, naming <stdin> in errors', () => {
    const piped = spawnSync(process.execPath, [CLI, 'reconcile', '-f', '-', '-o', 'table'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      input: readFileSync(join(REPO_ROOT, 'examples', 'static-address', 'gateway.yaml'), 'utf8'),
    });
    expect(piped.status).toBe(0);
    expect(piped.stdout).toContain('l4gw-static/static-gateway');
    const broken = spawnSync(process.execPath, [CLI, 'reconcile', '-f', '-'], { cwd: REPO_ROOT, encoding: 'utf8', input: 'kind: [\n' });
    expect(broken.status).toBe(4);
    expect(broken.stderr).toMatch(/^l4gw: <stdin>:\d+:\d+: invalid YAML: /);
  });

  it('should exit 5 with -check when l4gw would leave a Gateway not Programmed, naming it and why', () => {
    const ready = runCli(['reconcile', '-f', 'examples/endpoints', '-o', 'table', '-check']);
    expect(ready.status).toBe(0);
    expect(ready.stderr).not.toContain('check:');
    const notReady = runCli(['reconcile', '-f', 'examples/static-address', '-o', 'table', '-check']);
    expect(notReady.status).toBe(5);
    const problems = notReady.stderr.split('\n').filter((line) => line.startsWith('check: '));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^check: Gateway l4gw-static\/unpooled-gateway: Programmed=False \(AddressNotUsable\): .*192\.0\.2\.10/);
    expect(notReady.stdout).toContain('GATEWAY');
  });

  it('should exit 3 when run, reconcile or ipam cannot read the kubeconfig they are given', () => {
    for (const args of [
      ['-kubeconfig', '/nonexistent/kubeconfig', '-metrics-bind-address', '0', '-health-probe-bind-address', '0'],
      ['reconcile', '-kubeconfig', '/nonexistent/kubeconfig'],
      ['ipam', '-kubeconfig', '/nonexistent/kubeconfig'],
    ]) {
      const result = runCli(args);
      expect(result.status).toBe(3);
      expect(result.stderr).toContain('cannot read kubeconfig /nonexistent/kubeconfig');
    }
  });

  it('should exit 2 when given both files and a cluster to read', () => {
    for (const command of ['reconcile', 'ipam']) {
      const result = runCli([command, '-f', 'examples', '-kubeconfig', '/nonexistent/kubeconfig']);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('not both');
    }
  });

  it('should exit 0 with help for help, -h and a command\'s -help, and print the version', () => {
    const overview = runCli(['help']);
    expect(overview.status).toBe(0);
    for (const command of ['run', 'reconcile', 'ipam', 'rbac', 'version']) expect(overview.stdout).toContain(`  ${command} `);
    const reconcileHelp = runCli(['reconcile', '-help']);
    expect(reconcileHelp.status).toBe(0);
    expect(reconcileHelp.stdout).toContain('  -gateway-class-name string');
    expect(runCli(['-h']).status).toBe(0);
    const version = runCli(['version']);
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^l4gw \d+\.\d+\.\d+ \(node \d+/);
  });

  it('should list every flag the README documents for run in run\'s help', () => {
    const help = runCli(['help', 'run']).stdout;
    for (const flag of [
      'kubeconfig', 'gateway-class-name', 'ipam-configmap', 'service-behaviour', 'lb-annotations', 'load-balancer-class',
      'pin-addresses', 'allow-unpooled-addresses', 'metrics-bind-address', 'health-probe-bind-address', 'leader-elect',
      'log-level', 'log-format',
    ]) {
      expect(help).toContain(`  -${flag}`);
    }
  });
});
