// `pnpm image`: the l4gw image as an OCI image layout archive (dist/image/l4gw-<version>.oci.tar),
// for linux/amd64 and linux/arm64, built without a container engine from pinned inputs
// (inputs.json):
//   layer 1, base: the Debian packages Node needs (libc6, libgcc-s1, libstdc++6; fetched with
//            apt-get into a private apt state, checked against pinned SHA-256, unpacked with
//            dpkg-deb -x), /etc/passwd and /etc/group with the non-root user 65532, /tmp;
//            no shell, no package manager;
//   layer 2, node: the Node binary from the npm registry's node-linux-<arch> package (integrity pinned);
//   layer 3, app:  `pnpm deploy --prod` of @l4gw/cli (architecture-independent, shared by both).
// Same inputs, same SOURCE_DATE_EPOCH (default: the commit time of HEAD) and same Node (its zlib
// compresses the layers) give the same digests. `--pin` re-resolves the Debian packages to the
// suite's current versions and records their hashes (and the Node packages' integrity) in inputs.json.
//
// Usage: node tools/image/build.ts [--out <file>] [--platform amd64|arm64]… [--pin]
// stdout: one JSON line {archive, digest, size, platforms: [{architecture, digest, layers}]}.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeLayout } from './oci.ts';
import { tar, type TarEntry } from './tar.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const INPUTS_FILE = fileURLToPath(new URL('./inputs.json', import.meta.url));
const NONROOT = 65532;
export const ARCHITECTURES = ['amd64', 'arm64'] as const;
type Architecture = (typeof ARCHITECTURES)[number];

interface Inputs {
  comment: string;
  debian: { suite: string; packages: Record<string, string>; sha256: Record<string, string> };
  node: { version: string; packages: Record<Architecture, { name: string; integrity: string }> };
}

const log = (message: string) => process.stderr.write(`image: ${message}\n`);
const run = (command: string, args: readonly string[], cwd?: string) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** apt-get/apt-cache options for a private state of one architecture: the host's config is untouched. */
function aptOptions(state: string, arch: Architecture): string[] {
  return [
    '-o', `Dir::State::Lists=${state}/lists`, '-o', `Dir::State::status=${state}/status`, '-o', `Dir::Cache=${state}/cache`,
    '-o', 'Dir::Etc::SourceList=/dev/null', '-o', `Dir::Etc::SourceParts=${state}/sources`,
    '-o', `APT::Architecture=${arch}`, '-o', `APT::Architectures::=${arch}`,
  ];
}

/** The host's Debian archive entries (deb822), which must serve `suite`. */
function debianSources(suite: string): string {
  const file = '/etc/apt/sources.list.d/debian.sources';
  if (!existsSync(file)) throw new Error(`${file} is missing: the image's Debian packages are fetched from this machine's Debian sources`);
  const text = readFileSync(file, 'utf8');
  if (!new RegExp(`^Suites:.*\\b${suite}\\b`, 'm').test(text)) throw new Error(`${file} does not serve the pinned suite ${suite} (tools/image/inputs.json debian.suite)`);
  return text;
}

/** A private apt state for `arch`, its package lists updated once per build. */
function aptState(cache: string, suite: string, arch: Architecture, updated: Set<string>): string[] {
  const state = join(cache, 'apt', `${suite}-${arch}`);
  for (const dir of ['lists/partial', 'cache/archives/partial', 'sources']) mkdirSync(join(state, dir), { recursive: true });
  writeFileSync(join(state, 'status'), '');
  writeFileSync(join(state, 'sources', 'debian.sources'), debianSources(suite));
  const options = aptOptions(state, arch);
  if (!updated.has(arch)) {
    log(`apt-get update (${suite}, ${arch}, private state ${state})`);
    run('apt-get', [...options, '-q', 'update']);
    updated.add(arch);
  }
  return options;
}

/** The pinned .deb files of `arch`, downloaded into the cache unless already there with the pinned hash. */
function debianPackages(inputs: Inputs, cache: string, arch: Architecture, pin: boolean, updated: Set<string>): string[] {
  const dir = join(cache, 'debs');
  mkdirSync(dir, { recursive: true });
  return Object.entries(inputs.debian.packages).map(([name, version]) => {
    const file = `${name}_${version.replace(/^\d+:/, '')}_${arch}.deb`;
    const path = join(dir, file);
    const pinned = inputs.debian.sha256[file];
    if (!existsSync(path) || (pinned !== undefined && sha256(path) !== pinned)) {
      const options = aptState(cache, inputs.debian.suite, arch, updated);
      log(`apt-get download ${name}:${arch}=${version}`);
      // apt checks the file against the signed index; the pin below checks it is the same build.
      run('apt-get', [...options, '-q', 'download', `${name}:${arch}=${version}`], dir);
    }
    const actual = sha256(path);
    if (pin) inputs.debian.sha256[file] = actual;
    else if (pinned === undefined) throw new Error(`tools/image/inputs.json has no sha256 for ${file}: run \`node tools/image/build.ts --pin\``);
    else if (actual !== pinned) throw new Error(`${file}: sha256 ${actual}, but inputs.json pins ${pinned}`);
    return path;
  });
}

/** Resolves each package to the suite's candidate version (for --pin). */
function pinDebianVersions(inputs: Inputs, cache: string, updated: Set<string>): void {
  for (const name of Object.keys(inputs.debian.packages)) {
    const versions = ARCHITECTURES.map((arch) => {
      const policy = run('apt-cache', [...aptState(cache, inputs.debian.suite, arch, updated), 'policy', `${name}:${arch}`]);
      const candidate = /Candidate: (\S+)/.exec(policy)?.[1];
      if (candidate === undefined || candidate === '(none)') throw new Error(`no candidate for ${name}:${arch} in ${inputs.debian.suite}`);
      return candidate;
    });
    if (versions[0] !== versions[1]) throw new Error(`${name}: amd64 has ${versions[0]}, arm64 ${versions[1]}; pin when both agree`);
    inputs.debian.packages[name] = versions[0]!;
  }
}

/** The Node package for `arch` (bin/node, LICENSE) unpacked into a temporary directory. */
function nodePackage(inputs: Inputs, cache: string, arch: Architecture, pin: boolean, work: string): string {
  const { name, integrity } = inputs.node.packages[arch];
  const spec = `${name}@${inputs.node.version}`;
  const dir = join(cache, 'node');
  mkdirSync(dir, { recursive: true });
  const tarball = join(dir, `${name}-${inputs.node.version}.tgz`);
  const integrityOf = (file: string) => `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
  if (!existsSync(tarball) || integrityOf(tarball) !== integrity) {
    log(`npm pack ${spec}`);
    run('npm', ['pack', spec, '--pack-destination', dir, '--silent']);
  }
  const actual = integrityOf(tarball);
  if (pin) inputs.node.packages[arch].integrity = actual;
  else if (actual !== integrity) throw new Error(`${spec}: integrity ${actual}, but inputs.json pins ${integrity}`);
  const out = join(work, `node-${arch}`);
  mkdirSync(out, { recursive: true });
  run('tar', ['-xzf', tarball, '-C', out, 'package/bin/node', 'package/LICENSE']);
  return join(out, 'package');
}

interface TreeOptions {
  /** Relative paths (from the tree's root) to leave out, with everything under them. */
  readonly skip?: (path: string) => boolean;
}

/** The tar entries of a directory tree under `prefix`, modes normalised (0755 / 0644), sorted. */
function treeEntries(root: string, prefix: string, options: TreeOptions = {}): TarEntry[] {
  const entries: TarEntry[] = [];
  const walk = (relative: string) => {
    for (const name of readdirSync(join(root, relative)).sort()) {
      const path = relative === '' ? name : `${relative}/${name}`;
      if (options.skip?.(path)) continue;
      const full = join(root, path);
      const stat = lstatSync(full);
      const target = `${prefix}/${path}`;
      if (stat.isSymbolicLink()) entries.push({ type: 'symlink', path: target, target: readlinkSync(full) });
      else if (stat.isDirectory()) {
        entries.push({ type: 'directory', path: target, mode: 0o755 });
        walk(path);
      } else if (stat.isFile()) entries.push({ type: 'file', path: target, mode: stat.mode & 0o111 ? 0o755 : 0o644, data: readFileSync(full) });
      else throw new Error(`${full}: not a file, directory or symlink`);
    }
  };
  walk('');
  return entries;
}

/** Every parent directory of `paths` (root-owned 0755), for entries whose parents are not in the tar. */
function parents(paths: readonly string[]): TarEntry[] {
  const dirs = new Set<string>();
  for (const path of paths) for (let at = path.lastIndexOf('/'); at > 0; at = path.lastIndexOf('/', at - 1)) dirs.add(path.slice(0, at));
  return [...dirs].map((path) => ({ type: 'directory', path, mode: 0o755 }));
}

function sorted(entries: readonly TarEntry[]): TarEntry[] {
  const unique = new Map(entries.map((entry) => [entry.path, entry]));
  return [...unique.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Documentation the image does not need; copyright files stay (they are the licences). */
function notNeeded(path: string): boolean {
  if (/^usr\/share\/(man|info|lintian|locale|gcc|gdb)(\/|$)/.test(path)) return true;
  return /^usr\/share\/doc\/[^/]+\/./.test(path) && !/^usr\/share\/doc\/[^/]+\/copyright$/.test(path);
}

function baseLayer(debs: readonly string[], work: string, arch: Architecture, mtime: number): Buffer {
  const root = join(work, `rootfs-${arch}`);
  mkdirSync(root, { recursive: true });
  const status: string[] = [];
  for (const deb of debs) {
    run('dpkg-deb', ['-x', deb, root]);
    // Scanners read installed packages from dpkg's status; distroless keeps one file per package.
    status.push(run('dpkg-deb', ['-f', deb, 'Package', 'Version', 'Architecture', 'Source', 'Maintainer', 'Description']));
  }
  const text = (path: string, content: string, mode = 0o644): TarEntry => ({ type: 'file', path, mode, data: Buffer.from(content) });
  const entries: TarEntry[] = [
    ...treeEntries(root, '', { skip: notNeeded }).map((entry) => ({ ...entry, path: entry.path.slice(1) })),
    text('etc/passwd', `root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:${NONROOT}:${NONROOT}:nonroot:/home/nonroot:/sbin/nologin\n`),
    text('etc/group', `root:x:0:\nnonroot:x:${NONROOT}:\n`),
    { type: 'directory', path: 'home/nonroot', mode: 0o700 },
    { type: 'directory', path: 'root', mode: 0o700 },
    { type: 'directory', path: 'tmp', mode: 0o1777 },
    ...debs.map((deb, i) => text(`var/lib/dpkg/status.d/${/^([^_]+)_/.exec(deb.split('/').pop()!)![1]}`, `${status[i]!.trimEnd()}\nStatus: install ok installed\n`)),
  ];
  const all = sorted([...parents(entries.map((entry) => entry.path)), ...entries]);
  return tar(all, { mtime, owner: (entry) => (entry.path === 'home/nonroot' ? { uid: NONROOT, gid: NONROOT } : { uid: 0, gid: 0 }) });
}

function nodeLayer(node: string, mtime: number): Buffer {
  const entries: TarEntry[] = [
    { type: 'file', path: 'usr/bin/node', mode: 0o755, data: readFileSync(join(node, 'bin', 'node')) },
    { type: 'file', path: 'usr/share/doc/nodejs/LICENSE', mode: 0o644, data: readFileSync(join(node, 'LICENSE')) },
  ];
  return tar(sorted([...parents(entries.map((entry) => entry.path)), ...entries]), { mtime });
}

/** `pnpm deploy --prod` of the CLI into `work/app`, without what only development uses. */
function appLayer(work: string, mtime: number): Buffer {
  const app = join(work, 'app');
  log('pnpm deploy --prod @l4gw/cli');
  run('pnpm', ['--filter', '@l4gw/cli', 'deploy', '--legacy', '--prod', app], REPO_ROOT);
  const skip = (path: string) =>
    // .modules.yaml records when and where pnpm ran, .bin holds shell shims with the build's
    // absolute paths (and the image has no shell); maps and type declarations serve no runtime.
    path === 'node_modules/.modules.yaml' || /(^|\/)node_modules\/\.bin$/.test(path) || /\.(map|d\.ts|d\.mts|d\.cts)$/.test(path);
  return tar(sorted([{ type: 'directory', path: 'app', mode: 0o755 }, ...treeEntries(app, 'app', { skip })]), { mtime });
}

export function sourceDateEpoch(): number {
  const preset = process.env['SOURCE_DATE_EPOCH'];
  if (preset !== undefined && preset !== '') {
    if (!/^\d+$/.test(preset)) throw new Error(`SOURCE_DATE_EPOCH=${preset} is not a number of seconds`);
    return Number(preset);
  }
  return Number(run('git', ['log', '-1', '--format=%ct'], REPO_ROOT).trim());
}

export interface BuildResult {
  readonly archive: string;
  readonly digest: string;
  readonly size: number;
  readonly platforms: readonly { architecture: string; digest: string }[];
}

export interface BuildOptions {
  readonly out?: string;
  /** Overrides SOURCE_DATE_EPOCH and the commit time (seconds). */
  readonly sourceDateEpoch?: number;
  readonly platforms?: readonly Architecture[];
  readonly pin?: boolean;
}

export function buildImage(options: BuildOptions = {}): BuildResult {
  const inputs = JSON.parse(readFileSync(INPUTS_FILE, 'utf8')) as Inputs;
  const cli = JSON.parse(readFileSync(join(REPO_ROOT, 'packages', 'cli', 'package.json'), 'utf8')) as { version: string; license: string };
  const root = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { repository: { url: string }; description: string };
  const cache = join(process.env['L4GW_CACHE_DIR'] ?? join(homedir(), '.cache', 'l4gw'), 'image');
  const work = mkdtempSync(join(tmpdir(), 'l4gw-image-'));
  const mtime = options.sourceDateEpoch ?? sourceDateEpoch();
  const platforms = options.platforms ?? ARCHITECTURES;
  const pin = options.pin ?? false;
  const updated = new Set<string>();
  try {
    if (pin) pinDebianVersions(inputs, cache, updated);
    const app = appLayer(work, mtime);
    const images = platforms.map((arch) => {
      log(`${arch}: base and node layers`);
      const base = baseLayer(debianPackages(inputs, cache, arch, pin, updated), work, arch, mtime);
      return { architecture: arch, layers: [base, nodeLayer(nodePackage(inputs, cache, arch, pin, work), mtime), app] };
    });
    if (pin) writeFileSync(INPUTS_FILE, JSON.stringify(inputs, null, 2) + '\n');
    const created = new Date(mtime * 1000).toISOString().replace(/\.000Z$/, 'Z');
    const labels = {
      'org.opencontainers.image.title': 'l4gw',
      'org.opencontainers.image.description': root.description,
      'org.opencontainers.image.source': root.repository.url,
      'org.opencontainers.image.version': cli.version,
      'org.opencontainers.image.licenses': cli.license,
      'org.opencontainers.image.created': created,
    };
    const layout = writeLayout(
      images,
      {
        user: `${NONROOT}:${NONROOT}`,
        entrypoint: ['/usr/bin/node', '/app/dist/main.js'],
        cmd: ['run'],
        env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'NODE_ENV=production'],
        workingDir: '/app',
        exposedPorts: ['8080/tcp', '8081/tcp'],
        labels,
      },
      cli.version,
      created,
      mtime,
    );
    const archive = options.out ?? join(REPO_ROOT, 'dist', 'image', `l4gw-${cli.version}.oci.tar`);
    mkdirSync(dirname(archive), { recursive: true });
    writeFileSync(archive, layout.archive);
    return {
      archive,
      digest: layout.index.digest,
      size: layout.archive.length,
      platforms: layout.manifests.map((manifest, i) => ({ architecture: platforms[i]!, digest: manifest.digest })),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, platform: { type: 'string', multiple: true }, pin: { type: 'boolean' } } });
  const platforms = values.platform?.map((platform) => {
    const arch = platform.replace(/^linux\//, '');
    if (!(ARCHITECTURES as readonly string[]).includes(arch)) throw new Error(`--platform ${platform}: one of ${ARCHITECTURES.join(', ')}`);
    return arch as Architecture;
  });
  const started = Date.now();
  const result = buildImage({ ...(values.out !== undefined ? { out: values.out } : {}), ...(platforms !== undefined ? { platforms } : {}), pin: values.pin ?? false });
  log(`wrote ${result.archive} (${(result.size / 2 ** 20).toFixed(1)} MiB) in ${((Date.now() - started) / 1000).toFixed(1)} s; image index ${result.digest}`);
  console.log(JSON.stringify(result));
}
