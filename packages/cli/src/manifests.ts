// Reading manifests from files and directories, the way `kubectl apply -f … -R` does, with error
// messages that point at the file and line. JSON is read by the same YAML parser (JSON is YAML
// 1.2), so both formats get the same positions in their errors.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '@l4gw/core';
import { isNode, LineCounter, parseAllDocuments, type Document } from 'yaml';
import { CliError, ExitCode } from './errors.js';
import { formatPath, schemaProblems, type FieldPath } from './manifest-schema.js';

/** One Kubernetes object and where it was read. */
export interface SourcedObject {
  readonly object: KubeObject;
  /** `file:line` of the document (or List item) the object came from. */
  readonly source: string;
}

const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** `-f -` reads standard input, as kubectl does: `kustomize build … | l4gw reconcile -f -`. */
const STDIN = '-';

/**
 * Files that live beside manifests but are not cluster objects: kustomize's own configuration and
 * Node package files (examples/embed). They are skipped when a directory is walked; named on the
 * command line they are read like any file.
 */
const NOT_MANIFESTS = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization', 'package.json', 'tsconfig.json']);

/**
 * Expands files and directories into the list of manifest files to read (`-` is standard input;
 * it may be given once): directories are walked
 * recursively in sorted order, keeping `.yaml`, `.yml` and `.json` files and skipping hidden
 * entries, `node_modules` and the files in NOT_MANIFESTS. Throws exit code 3 when a path cannot be
 * read.
 */
export function manifestFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    if (path === STDIN) files.push(path);
    else if (isDirectory(path)) walk(path, files);
    else files.push(path);
  }
  return files;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch (error) {
    throw unreadable(path, error);
  }
}

function walk(dir: string, into: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    throw unreadable(dir, error);
  }
  const names = entries
    .filter((entry) => !entry.name.startsWith('.') && entry.name !== 'node_modules')
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of names) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, into);
    else if (MANIFEST_EXTENSIONS.some((ext) => entry.name.endsWith(ext)) && !NOT_MANIFESTS.has(entry.name)) {
      into.push(path);
    }
  }
}

function unreadable(path: string, error: unknown): CliError {
  const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
  const text = reason === 'ENOENT' ? 'no such file or directory' : reason === 'EACCES' ? 'permission denied' : reason;
  return new CliError(ExitCode.unreadableFile, `cannot read ${path}: ${text}`);
}

/** Reads every manifest under `paths` (see manifestFiles) into objects, in file order. */
export function readManifests(paths: readonly string[]): SourcedObject[] {
  return manifestFiles(paths).flatMap((file) => {
    let text: string;
    try {
      text = readFileSync(file === STDIN ? 0 : file, 'utf8');
    } catch (error) {
      throw unreadable(file === STDIN ? '<stdin>' : file, error);
    }
    return parseManifests(text, file === STDIN ? '<stdin>' : file);
  });
}

/**
 * Parses one file's text: multi-document YAML or JSON; empty documents are skipped; `List`
 * objects (`v1/List`, `ServiceList`, …) are flattened into their items. Throws exit code 4 with
 * `file:line:column` on a syntax error or a document that is not a Kubernetes object.
 */
export function parseManifests(text: string, file: string): SourcedObject[] {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: true });
  const list = Array.isArray(documents) ? documents : [documents];
  const objects: SourcedObject[] = [];
  for (const document of list) {
    const error = document.errors[0];
    if (error !== undefined) {
      const position = error.linePos?.[0];
      const where = position === undefined ? file : `${file}:${position.line}:${position.col}`;
      // The yaml package's message already ends with a code frame; keep its first line.
      const message = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
      const format = file.endsWith('.json') ? 'JSON' : 'YAML';
      throw new CliError(ExitCode.invalidManifest, `${where}: invalid ${format}: ${message}`);
    }
    const start = document.contents?.range[0] ?? 0;
    const line = lineCounter.linePos(start).line;
    let content: unknown;
    try {
      // Throws on an alias to a missing anchor, or on alias expansion beyond the limit.
      content = document.toJS({ maxAliasCount: 1000 });
    } catch (error) {
      const format = file.endsWith('.json') ? 'JSON' : 'YAML';
      throw new CliError(ExitCode.invalidManifest, `${file}:${line}: invalid ${format}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (content === null || content === undefined) continue;
    collect(content, `${file}:${line}`, objects, { file, at: [], lineOf: (path) => fieldLine(document, lineCounter, path) ?? line });
  }
  return objects;
}

/** Where an object sits in its document, to name the line of a field the schema refuses. */
interface Place {
  readonly file: string;
  /** Path of the object in the document ([] for the document itself, ['items', 3] in a List). */
  readonly at: FieldPath;
  readonly lineOf: (path: FieldPath) => number;
}

/** The line of the node at `path`, or of its nearest ancestor that exists. */
function fieldLine(document: Document, lineCounter: LineCounter, path: FieldPath): number | undefined {
  for (let length = path.length; length >= 0; length--) {
    const node: unknown = document.getIn(path.slice(0, length), true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}

function collect(content: unknown, source: string, into: SourcedObject[], place: Place): void {
  if (!isKubeObject(content)) {
    throw new CliError(
      ExitCode.invalidManifest,
      `${source}: not a Kubernetes object (a mapping with apiVersion, kind and metadata.name is required)`,
    );
  }
  const items = content['items'];
  if (content.kind.endsWith('List') && Array.isArray(items)) {
    items.forEach((item, index) => collect(item, `${source} (item ${index})`, into, { ...place, at: [...place.at, 'items', index] }));
    return;
  }
  if (typeof content.metadata?.name !== 'string' || content.metadata.name === '') {
    throw new CliError(ExitCode.invalidManifest, `${source}: ${content.kind}: metadata.name must be a non-empty string`);
  }
  const namespace: unknown = content.metadata.namespace;
  if (namespace !== undefined && (typeof namespace !== 'string' || namespace === '')) {
    throw new CliError(ExitCode.invalidManifest, `${source}: ${content.kind} ${content.metadata.name}: metadata.namespace must be a non-empty string`);
  }
  const problem = schemaProblems(content)[0];
  if (problem !== undefined) {
    throw new CliError(
      ExitCode.invalidManifest,
      `${place.file}:${place.lineOf([...place.at, ...problem.path])}: ${content.kind} ${content.metadata.name}: ${formatPath(problem.path)} ${problem.message} (the API server would refuse it)`,
    );
  }
  into.push({ object: content, source });
}

function isKubeObject(value: unknown): value is KubeObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  if (typeof record['apiVersion'] !== 'string' || typeof record['kind'] !== 'string') return false;
  // Lists carry no metadata.name; other objects are checked in collect for a clearer message.
  return record['metadata'] === undefined || (typeof record['metadata'] === 'object' && record['metadata'] !== null);
}
