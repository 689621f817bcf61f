// `pnpm image`'s archive, unpacked as a runtime would: an OCI layout whose index holds linux/amd64
// and linux/arm64 with the OCI labels; a second build from the same inputs gives the same digest;
// the rootfs has a non-root user and no shell; and the entrypoint runs from the image's own root
// filesystem (chroot, as user 65532) for `version`, `reconcile` on the examples, and `run` against
// the test API server (on loopback: chroot keeps the network namespace) started the way the
// chart's Deployment starts it. The arm64 image is checked by its files (its binaries cannot run here).
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedKubeConfig } from '@l4gw/envtest/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImage, type BuildResult, sourceDateEpoch } from '../image/build.ts';
import { REPO_ROOT, runCli } from '../../packages/cli/test/run-cli.ts';
import { freePort, operatorCommand } from './operator-command.ts';
import { capture, createWorkload, exited, installChart, waitUntilServing } from './live-operator.ts';

interface Descriptor {
  mediaType: string;
  digest: string;
  platform?: { architecture: string; os: string };
}
interface Manifest {
  config: Descriptor;
  layers: Descriptor[];
}
interface Config {
  architecture: string;
  config: { User: string; Entrypoint: string[]; Cmd: string[]; Env: string[]; Labels: Record<string, string> };
}

/** This file's IPAM pool (the chart test uses another). */
const POOL = '10.97.1.10-10.97.1.20';
const HOST_ARCH = ({ x64: 'amd64', arm64: 'arm64' } as Record<string, string>)[process.arch];
const ELF_MACHINE: Record<string, number> = { amd64: 62, arm64: 183 };

describe('the l4gw image (pnpm image)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'l4gw-image-test-'));
  let built: BuildResult;
  let epoch: number;
  const blob = (digest: string) => readFileSync(join(dir, 'layout', 'blobs', 'sha256', digest.replace(/^sha256:/, '')));
  const json = <T>(digest: string) => JSON.parse(blob(digest).toString('utf8')) as T;
  let manifests: Map<string, Manifest>;
  let child: ChildProcess | undefined;

  /** Unpacks the platform's layers in order into dir/rootfs-<arch> (GNU tar, as root: owners kept). */
  function rootfs(arch: string): string {
    const root = join(dir, `rootfs-${arch}`);
    if (existsSync(root)) return root;
    mkdirSync(root);
    for (const layer of manifests.get(arch)!.layers) execFileSync('tar', ['-xzf', join(dir, 'layout', 'blobs', 'sha256', layer.digest.slice(7)), '-C', root]);
    return root;
  }

  function config(arch: string): Config {
    return json<Config>(manifests.get(arch)!.config.digest);
  }

  /** The image's Env, as a runtime sets it (its PATH also finds chroot on the host). */
  function imageEnv(): Record<string, string> {
    return Object.fromEntries(config(HOST_ARCH!).config.Env.map((entry) => entry.split(/=(.*)/s).slice(0, 2) as [string, string]));
  }

  /** Runs the image's entrypoint with `args` in its own root filesystem, as the image's user. */
  function chrootArgs(root: string, args: readonly string[]): string[] {
    const image = config(HOST_ARCH!).config;
    return [`--userspec=${image.User}`, root, ...image.Entrypoint, ...args];
  }

  beforeAll(() => {
    if (process.getuid?.() !== 0) throw new Error('the image test unpacks and chroots into the image: it must run as root (CI does)');
    if (HOST_ARCH === undefined) throw new Error(`no image platform for this machine's ${process.arch}`);
    // Fixed once: a commit made while the test runs must not count as a change of input.
    epoch = sourceDateEpoch();
    built = buildImage({ out: join(dir, 'image.oci.tar'), sourceDateEpoch: epoch });
    mkdirSync(join(dir, 'layout'));
    execFileSync('tar', ['-xf', built.archive, '-C', join(dir, 'layout')]);
    const top = JSON.parse(readFileSync(join(dir, 'layout', 'index.json'), 'utf8')) as { manifests: Descriptor[] };
    const index = json<{ manifests: Descriptor[] }>(top.manifests[0]!.digest);
    manifests = new Map(index.manifests.map((descriptor) => [descriptor.platform!.architecture, json<Manifest>(descriptor.digest)]));
  }, 900_000);

  afterAll(async () => {
    if (child !== undefined && child.exitCode === null) {
      child.kill('SIGKILL');
      await exited(child);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('should be an OCI layout for linux/amd64 and linux/arm64 carrying source, version and licenses', () => {
    expect(JSON.parse(readFileSync(join(dir, 'layout', 'oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
    const top = JSON.parse(readFileSync(join(dir, 'layout', 'index.json'), 'utf8')) as { manifests: Descriptor[] };
    expect(top.manifests.map((descriptor) => descriptor.digest)).toEqual([built.digest]);
    expect([...manifests.keys()].sort()).toEqual(['amd64', 'arm64']);
    const cli = JSON.parse(readFileSync(join(REPO_ROOT, 'packages', 'cli', 'package.json'), 'utf8')) as { version: string; license: string };
    const root = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { repository: { url: string } };
    for (const arch of ['amd64', 'arm64']) {
      const image = config(arch);
      expect(image.architecture).toBe(arch);
      expect(image.config.Labels).toMatchObject({
        'org.opencontainers.image.source': root.repository.url,
        'org.opencontainers.image.version': cli.version,
        'org.opencontainers.image.licenses': cli.license,
      });
      expect(image.config.User).toBe('65532:65532');
      // Every blob the manifests name is in the layout with that digest.
      for (const descriptor of [manifests.get(arch)!.config, ...manifests.get(arch)!.layers]) {
        expect(`sha256:${execFileSync('sha256sum', [join(dir, 'layout', 'blobs', 'sha256', descriptor.digest.slice(7))], { encoding: 'utf8' }).split(' ')[0]}`).toBe(descriptor.digest);
      }
    }
  });

  it('should build the same digest again from the same inputs', () => {
    const again = buildImage({ out: join(dir, 'again.oci.tar'), platforms: [HOST_ARCH as 'amd64' | 'arm64'], sourceDateEpoch: epoch });
    expect(again.platforms[0]?.digest).toBe(built.platforms.find((platform) => platform.architecture === HOST_ARCH)?.digest);
    rmSync(again.archive);
  }, 900_000);

  it('should have the non-root user, no shell, and for each platform a Node binary and loader of that architecture', () => {
    for (const arch of ['amd64', 'arm64']) {
      const root = rootfs(arch);
      expect(readFileSync(join(root, 'etc', 'passwd'), 'utf8')).toMatch(/^nonroot:x:65532:65532:/m);
      for (const shell of ['bin/sh', 'bin/bash', 'bin/dash', 'usr/bin/sh']) expect(existsSync(join(root, shell)), shell).toBe(false);
      const header = Buffer.alloc(20);
      const fd = openSync(join(root, 'usr', 'bin', 'node'), 'r');
      readSync(fd, header, 0, 20, 0);
      closeSync(fd);
      expect(header.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
      expect(header.readUInt16LE(18), `${arch} e_machine`).toBe(ELF_MACHINE[arch]);
      expect(existsSync(join(root, arch === 'amd64' ? 'lib64/ld-linux-x86-64.so.2' : 'lib/ld-linux-aarch64.so.1'))).toBe(true);
    }
  });

  it('should run `version` and `reconcile` on the examples from its own root filesystem', () => {
    const root = rootfs(HOST_ARCH!);
    const version = spawnSync('chroot', chrootArgs(root, ['version']), { encoding: 'utf8', env: imageEnv() });
    expect(version.stderr).toBe('');
    expect(version.stdout).toMatch(/^l4gw \d+\.\d+\.\d+ \(node 24\.\d+\.\d+\)\n$/);

    cpSync(join(REPO_ROOT, 'examples'), join(root, 'tmp', 'examples'), { recursive: true, filter: (source) => !source.includes('node_modules') });
    const inImage = spawnSync('chroot', chrootArgs(root, ['reconcile', '-f', '/tmp/examples', '-o', 'yaml']), { encoding: 'utf8', env: imageEnv(), maxBuffer: 64 * 1024 * 1024 });
    const onHost = runCli(['reconcile', '-f', 'examples', '-o', 'yaml']);
    expect(inImage.status).toBe(0);
    expect(inImage.stdout.length).toBeGreaterThan(0);
    expect(inImage.stdout).toBe(onHost.stdout);
  });

  it('should run the operator from its root filesystem against the API server, started as the chart starts it', async () => {
    const root = rootfs(HOST_ARCH!);
    const kubeConfig = sharedKubeConfig();
    const namespace = `l4gw-image-${Date.now().toString(36)}`;
    const controllerName = `l4gw.test/${namespace}`;
    const { deployment, kubeconfig } = await installChart(kubeConfig, namespace, controllerName);
    writeFileSync(join(root, 'tmp', 'kubeconfig'), kubeconfig, { mode: 0o644 });
    await createWorkload(kubeConfig, namespace, controllerName, POOL);
    const healthPort = await freePort();
    const command = operatorCommand(deployment, { namespace, kubeconfig: '/tmp/kubeconfig', metricsPort: await freePort(), healthPort });
    child = spawn('chroot', chrootArgs(root, command.args), { env: { ...imageEnv(), ...command.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = capture(child);
    const served = await waitUntilServing(kubeConfig, child, output, namespace, healthPort);
    expect(served.gatewayAddress).toBe(POOL.split('-')[0]);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  });
});
