// `reconcile -check` must fail where a CI gate must: nothing of ours to check (an empty
// directory, a wrong -gateway-class-name), a Gateway naming a class that does not exist or is not
// ours, and an address that is not a Kubernetes API server (it answers 404 for the core API).
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT, runCli } from './run-cli.js';

function checkLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('check: '));
}

function directory(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'l4gw-check-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

const CLASS = (name: string, controller: string) =>
  `apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: ${name}}\nspec: {controllerName: ${controller}}\n`;
const GATEWAY = (name: string, className: string) =>
  `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: ${name}, namespace: n}\nspec:\n  gatewayClassName: ${className}\n  listeners: [{name: tcp, port: 80, protocol: TCP}]\n`;

describe('reconcile -check', () => {
  it('should exit 5 on an empty directory: no class and no Gateway of ours', () => {
    const result = runCli(['reconcile', '-f', directory(), '-check']);
    expect(result.status).toBe(5);
    expect(checkLines(result.stderr)).toEqual([
      'check: no GatewayClass has spec.controllerName "kube-vip.io/controller" (is -gateway-class-name right?)',
      'check: no Gateway uses a GatewayClass of controller "kube-vip.io/controller"',
    ]);
    expect(runCli(['reconcile', '-f', directory()]).status).toBe(0);
  });

  it('should exit 5 on the examples with a -gateway-class-name that none of them uses', () => {
    const result = runCli(['reconcile', '-f', 'examples/endpoints', '-check', '-gateway-class-name', 'example.com/other']);
    expect(result.status).toBe(5);
    expect(checkLines(result.stderr)[0]).toContain('no GatewayClass has spec.controllerName "example.com/other"');
  });

  it('should exit 5 naming a Gateway whose gatewayClassName is misspelt, or names another controller\'s class', () => {
    const dir = directory({
      'classes.yaml': `${CLASS('ours', 'kube-vip.io/controller')}---\n${CLASS('theirs', 'example.com/other')}`,
      'gateways.yaml': `${GATEWAY('good', 'ours')}---\n${GATEWAY('typo', 'oursx')}---\n${GATEWAY('foreign', 'theirs')}`,
      'pool.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kubevip, namespace: kube-system}\ndata: {range-global: 10.1.0.10-10.1.0.20}\n',
    });
    const result = runCli(['reconcile', '-f', dir, '-check', '-o', 'table']);
    expect(result.status).toBe(5);
    expect(checkLines(result.stderr)).toEqual([
      'check: Gateway n/foreign: GatewayClass "theirs" belongs to controller "example.com/other", not "kube-vip.io/controller"',
      'check: Gateway n/typo: gatewayClassName "oursx" names no GatewayClass',
    ]);
  });

  it('should exit 5 when the server answers 404 for the core API, and 1 without -check', async () => {
    const server = createServer((_request, response) => response.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    // Async: this process must keep answering HTTP while the CLI runs.
    const run = (...args: string[]) =>
      new Promise<{ status: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (status) => resolve({ status, stderr }));
      });
    try {
      const master = `http://127.0.0.1:${port}`;
      const checked = await run('reconcile', '-master', master, '-check');
      expect(checked.status).toBe(5);
      expect(checked.stderr).toContain(`${master} answered 404 for /api/v1/`);
      expect((await run('ipam', '-master', master)).status).toBe(1);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('run', () => {
  it('should name the flag whose port is already in use', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    const kubeconfig = join(directory(), 'config');
    writeFileSync(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n',
    );
    try {
      const result = runCli(['-kubeconfig', kubeconfig, '-metrics-bind-address', '0', '-health-probe-bind-address', `127.0.0.1:${port}`]);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`-health-probe-bind-address "127.0.0.1:${port}": cannot listen: address already in use`);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });
});
