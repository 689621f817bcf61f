// Turns one conformance run into the table of docs/conformance.md: every upstream test that is
// in the GATEWAY-TCP or GATEWAY-UDP profile, that the suite ran, or that expectations.yaml names,
// with what happened to it and why. Pure: inputs are the run's catalogue.json and results-<phase>.json
// (written by the Go harness) and expectations.yaml, as text.
import { parse } from 'yaml';

interface CatalogueEntry {
  shortName: string;
  description: string;
  features: string[] | null;
  provisional: boolean;
  profiles: string[];
}

interface Outcome {
  phase: 'report' | 'l4-variants';
  result: 'passed' | 'failed' | 'skipped';
}

interface Expectations {
  excluded?: { test: string; category: 'needs-http-listener' | 'l4gw-wrong'; reason: string }[];
  vacuous?: { test: string; reason: string }[];
  knownFailures?: KnownFailure[];
}

interface KnownFailure {
  test: string;
  reason: string;
  /**
   * Set for a statistical test that can pass in a transient state of the data plane (say, while
   * kube-proxy has only part of a Service's endpoints); says why. Such a pass is reported, never
   * counted as a pass and never a reason to fail the run: a real fix passes on every run.
   */
  passesWhileConverging?: string;
}

export interface TableInput {
  catalogue: string;
  /** The results-<phase>.json files; none when the suite died before running a test. */
  results: readonly string[];
  expectations: string;
}

export interface Table {
  markdown: string;
  /** Results that make the run fail (a test failed, or nothing was recorded). */
  problems: string[];
  summary: string;
  /** Tests that failed as expectations.yaml's knownFailures say they do. */
  knownFailures: number;
}

type Verdict = 'passed' | 'passed (vacuous)' | 'failed: l4gw is wrong' | 'not applicable: needs an HTTP listener' | 'not run: feature not claimed' | 'failed';

interface Row {
  test: string;
  profiles: string;
  features: string;
  verdict: Verdict;
  note: string;
}

function outcomeOf(outcomes: Outcome[] | undefined, phase: Outcome['phase']): Outcome['result'] | undefined {
  return outcomes?.find((o) => o.phase === phase)?.result;
}

/** The verdict and note of a known failure, and the problem it is when it did not fail as known. */
function knownFailureRow(test: string, k: KnownFailure, report: Outcome['result'] | undefined, problems: string[]): Pick<Row, 'verdict' | 'note'> {
  if (report === 'failed') return { verdict: 'failed: l4gw is wrong', note: `ran and failed: ${k.reason}` };
  if (report === 'passed' && k.passesWhileConverging !== undefined) {
    return { verdict: 'failed: l4gw is wrong', note: `passed in this run, which does not show l4gw right: ${k.passesWhileConverging}. ${k.reason}` };
  }
  problems.push(`${test} is a known failure in expectations.yaml but ${report ?? 'did not run'}: ${report === 'passed' ? 'remove it from knownFailures' : 'see suite.log'}`);
  return { verdict: 'failed', note: `expected to fail (${k.reason}) but ${report ?? 'did not run'}` };
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

export function renderTable(input: TableInput): Table {
  const catalogue = JSON.parse(input.catalogue) as CatalogueEntry[];
  const problems: string[] = [];
  const outcomes: Record<string, Outcome[]> = {};
  if (input.results.length === 0) problems.push('the suite wrote no results-*.json (it failed before running any test)');
  for (const file of input.results) {
    for (const [name, list] of Object.entries((JSON.parse(file) as { outcomes: Record<string, Outcome[]> }).outcomes)) {
      outcomes[name] = [...(outcomes[name] ?? []), ...list];
    }
  }
  const expectations = (parse(input.expectations) ?? {}) as Expectations;
  const excluded = new Map((expectations.excluded ?? []).map((x) => [x.test, x]));
  const vacuous = new Map((expectations.vacuous ?? []).map((x) => [x.test, x]));
  const knownFailures = new Map((expectations.knownFailures ?? []).map((x) => [x.test, x]));
  let failedAsKnown = 0;

  const rows: Row[] = [];
  for (const entry of catalogue) {
    const features = entry.features ?? [];
    const report = outcomeOf(outcomes[entry.shortName], 'report');
    const ran = report === 'passed' || report === 'failed';
    const named = excluded.has(entry.shortName) || knownFailures.has(entry.shortName) || vacuous.has(entry.shortName);
    if (entry.profiles.length === 0 && !ran && !named) continue;
    const row = {
      test: entry.shortName + (entry.provisional ? ' (provisional)' : ''),
      profiles: entry.profiles.map((p) => p.replace('GATEWAY-', '')).join(', ') || '–',
      features: features.join(', '),
    };
    const x = excluded.get(entry.shortName);
    const k = knownFailures.get(entry.shortName);
    if (x) {
      const verdict = x.category === 'l4gw-wrong' ? 'failed: l4gw is wrong' : 'not applicable: needs an HTTP listener';
      rows.push({ ...row, verdict, note: `excluded from the run: ${x.reason}` });
    } else if (k) {
      rows.push({ ...row, ...knownFailureRow(entry.shortName, k, report, problems) });
      if (report === 'failed') failedAsKnown++;
    } else if (report === 'passed') {
      const v = vacuous.get(entry.shortName);
      rows.push({ ...row, verdict: v ? 'passed (vacuous)' : 'passed', note: v ? v.reason : '' });
    } else if (report === 'failed') {
      problems.push(`${entry.shortName} failed (see suite.log); add it to expectations.yaml only with the reason`);
      rows.push({ ...row, verdict: 'failed', note: 'see the run log' });
    } else {
      rows.push({ ...row, verdict: 'not run: feature not claimed', note: `needs ${features.join(', ')}; the GatewayClass does not claim all of them` });
    }
  }

  // The project's own L4 variants of HTTP-only upstream tests: listed apart, never as upstream.
  const variants: string[] = [];
  for (const [name, list] of Object.entries(outcomes).sort(([a], [b]) => a.localeCompare(b))) {
    const result = outcomeOf(list, 'l4-variants');
    if (result === undefined) continue;
    if (result === 'failed') problems.push(`project test ${name} failed (see suite.log)`);
    variants.push(`| ${name} | ${result} |`);
  }

  const counts = new Map<Verdict, number>();
  for (const row of rows) counts.set(row.verdict, (counts.get(row.verdict) ?? 0) + 1);
  const summary = [...counts].map(([verdict, n]) => `${n} ${verdict}`).join(', ');
  const lines = [
    '| Test | Profile | Features | Result | Why |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${cell(r.test)} | ${r.profiles} | ${cell(r.features)} | ${r.verdict} | ${cell(r.note)} |`),
  ];
  const variantTable = variants.length === 0 ? '' : ['', '| Project test (not upstream conformance) | Result |', '| --- | --- |', ...variants, ''].join('\n');
  return { knownFailures: failedAsKnown, markdown: `${lines.join('\n')}\n\nTotals: ${summary}.\n${variantTable}`, problems, summary: `${summary}; project L4 variants: ${variants.filter((v) => v.endsWith('| passed |')).length} of ${variants.length} passed` };
}
