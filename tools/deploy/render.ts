// Renders charts/l4gw with helm. The chart is the one source of the operator's manifests: the
// kustomize base in examples/deploy is this module's rendering of it (kustomizeBase), written by
// `pnpm gen:deploy` and compared with the committed files by the chart tests.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHART = join(REPO_ROOT, 'charts', 'l4gw');
export const DEPLOY = join(REPO_ROOT, 'examples', 'deploy');
/** The values that turn the chart into the kustomize base. */
export const KUSTOMIZE_VALUES = join(CHART, 'ci', 'kustomize-base-values.yaml');

/** The helm binary: $L4GW_HELM, else tools/helm/build.sh builds it once (cached by version). */
export function helmBinary(): string {
  const preset = process.env['L4GW_HELM'];
  if (preset !== undefined && preset !== '') return preset;
  return execFileSync(join(REPO_ROOT, 'tools', 'helm', 'build.sh'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

export interface RenderOptions {
  readonly release?: string;
  readonly namespace?: string;
  /** Values files, in order. */
  readonly valuesFiles?: readonly string[];
  /** `--set` / `--set-string`-style pairs, as `key=value` for --set. */
  readonly set?: readonly string[];
}

/** Runs `helm <args>` and returns its stdout; a failure carries helm's stderr. */
export function helm(args: readonly string[]): string {
  try {
    return execFileSync(helmBinary(), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`helm ${args.join(' ')} failed:\n${stderr}`, { cause: error });
  }
}

/** `helm template` of the chart: the manifests as one multi-document YAML string. */
export function renderChart(options: RenderOptions = {}): string {
  const args = ['template', options.release ?? 'l4gw', CHART, '--namespace', options.namespace ?? 'l4gw-system'];
  for (const file of options.valuesFiles ?? []) args.push('--values', file);
  for (const pair of options.set ?? []) args.push('--set', pair);
  return helm(args);
}

const HEADER = (file: string) =>
  `# Generated from charts/l4gw/templates/${file} by \`pnpm gen:deploy\` (tools/deploy/render.ts,\n` +
  `# values charts/l4gw/ci/kustomize-base-values.yaml). Do not edit: change the chart and regenerate.\n`;

/**
 * The kustomize base: file name in examples/deploy → content, one file per chart template that
 * renders something, split on the `# Source:` comments helm writes before each document.
 */
export function kustomizeBase(): Map<string, string> {
  const rendered = renderChart({ valuesFiles: [KUSTOMIZE_VALUES] });
  const files = new Map<string, string[]>();
  for (const document of rendered.split(/^---\n/m)) {
    const source = /^# Source: l4gw\/templates\/(.+)$/m.exec(document);
    if (source === null) continue;
    const file = source[1]!;
    const body = document.replace(/^# Source: .*\n/m, '').trimEnd();
    files.set(file, [...(files.get(file) ?? []), body]);
  }
  return new Map([...files].map(([file, bodies]) => [file, HEADER(file) + bodies.join('\n---\n') + '\n']));
}
