import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError, ExitCode } from '../src/errors.js';
import { manifestFiles, parseManifests, readManifests } from '../src/manifests.js';

function failure(run: () => unknown): CliError {
  try {
    run();
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error('expected a CliError');
}

describe('parseManifests', () => {
  it('should read every document of a multi-document file with the line it starts on', () => {
    const text = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n# comment\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n';
    const objects = parseManifests(text, 'ns.yaml');
    expect(objects.map((o) => o.object.metadata.name)).toEqual(['a', 'b']);
    expect(objects.map((o) => o.source)).toEqual(['ns.yaml:1', 'ns.yaml:7']);
  });

  it('should flatten List kinds into their items', () => {
    const text = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'x' } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'x' } },
      ],
    });
    expect(parseManifests(text, 'list.json').map((o) => `${o.object.kind}/${o.object.metadata.name}`)).toEqual(['Service/s', 'ConfigMap/c']);
  });

  it('should report a YAML syntax error with file, line and column (exit code 4)', () => {
    const error = failure(() => parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: {a: b\n', 'bad.yaml'));
    expect(error.exitCode).toBe(ExitCode.invalidManifest);
    expect(error.message).toMatch(/^bad\.yaml:\d+:\d+: invalid YAML: /);
  });

  it('should report invalid JSON with its position too', () => {
    const error = failure(() => parseManifests('{\n  "apiVersion": "v1",\n  "kind": "Service"\n', 'bad.json'));
    expect(error.exitCode).toBe(ExitCode.invalidManifest);
    expect(error.message).toMatch(/^bad\.json:\d+:\d+: invalid JSON: /);
  });

  it('should report an alias to a missing anchor and an alias bomb as invalid YAML (exit code 4)', () => {
    const unresolved = failure(() => parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: *nothing\n', 'alias.yaml'));
    expect(unresolved.exitCode).toBe(ExitCode.invalidManifest);
    expect(unresolved.message).toMatch(/^alias\.yaml:1: invalid YAML: /);
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 8; level += 1) levels.push(`${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(10).fill(`*${String.fromCharCode(96 + level)}`).join(', ')}]`);
    const bomb = failure(() => parseManifests(`${levels.join('\n')}\n`, 'bomb.yaml'));
    expect(bomb.exitCode).toBe(ExitCode.invalidManifest);
    expect(bomb.message).toMatch(/^bomb\.yaml:1: invalid YAML: .*alias/i);
  });

  it('should refuse a document that is not a Kubernetes object, naming its line', () => {
    const error = failure(() => parseManifests('apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n- just\n- a list\n', 'x.yaml'));
    expect(error.exitCode).toBe(ExitCode.invalidManifest);
    expect(error.message).toBe('x.yaml:5: not a Kubernetes object (a mapping with apiVersion, kind and metadata.name is required)');
    expect(failure(() => parseManifests('apiVersion: v1\nkind: Service\nmetadata: {}\n', 'y.yaml')).message).toBe('y.yaml:1: Service: metadata.name must be a non-empty string');
    expect(failure(() => parseManifests('apiVersion: v1\nkind: Service\nmetadata: {name: 5}\n', 'n.yaml')).exitCode).toBe(ExitCode.invalidManifest);
    expect(failure(() => parseManifests('apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: [1]}\n', 'z.yaml')).message).toBe(
      'z.yaml:1: Service s: metadata.namespace must be a non-empty string',
    );
  });
});

describe('manifestFiles', () => {
  it('should walk directories in sorted order, keeping only manifests and skipping kustomize, package and hidden files', () => {
    const root = mkdtempSync(join(tmpdir(), 'l4gw-manifests-'));
    mkdirSync(join(root, 'b'));
    mkdirSync(join(root, 'a'));
    mkdirSync(join(root, 'node_modules'));
    mkdirSync(join(root, '.hidden'));
    for (const file of ['b/2.yaml', 'b/1.yml', 'a/z.json', 'a/kustomization.yaml', 'a/package.json', 'a/notes.md', 'node_modules/x.yaml', '.hidden/y.yaml', 'top.yaml']) {
      writeFileSync(join(root, file), '');
    }
    expect(manifestFiles([root]).map((file) => file.slice(root.length + 1))).toEqual(['a/z.json', 'b/1.yml', 'b/2.yaml', 'top.yaml']);
  });

  it('should fail with exit code 3 on a missing path', () => {
    const error = failure(() => manifestFiles(['/nonexistent/l4gw.yaml']));
    expect(error.exitCode).toBe(ExitCode.unreadableFile);
    expect(error.message).toBe('cannot read /nonexistent/l4gw.yaml: no such file or directory');
  });

  it('should read objects from files and directories in command-line order', () => {
    const root = mkdtempSync(join(tmpdir(), 'l4gw-manifests-'));
    writeFileSync(join(root, 'a.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n');
    writeFileSync(join(root, 'b.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n');
    expect(readManifests([join(root, 'b.yaml'), root]).map((o) => o.object.metadata.name)).toEqual(['b', 'a', 'b']);
  });
});
