// docs/grafana-dashboard.json may only query what the operator exposes: a renamed metric must
// fail here, not on a user's empty panel.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OperatorMetrics } from './metrics.js';

interface Dashboard {
  readonly panels: readonly { readonly title: string; readonly targets?: readonly { readonly expr: string }[] }[];
  readonly templating: { readonly list: readonly { readonly query?: unknown }[] };
}

const DASHBOARD = JSON.parse(readFileSync(new URL('../../../../docs/grafana-dashboard.json', import.meta.url), 'utf8')) as Dashboard;

/** Every series name the registry exposes (histograms as _bucket, _sum and _count). */
async function exposedNames(): Promise<Set<string>> {
  const metrics = await new OperatorMetrics({ version: 'test', leaseName: 'test' }).registry.getMetricsAsJSON();
  return new Set(metrics.flatMap(({ name, type }) => (String(type) === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name])));
}

/** Metric names in a PromQL expression: every dashboard query writes them with a selector. */
function metricsIn(expr: string): string[] {
  return [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)].map((match) => match[1]!);
}

describe('the Grafana dashboard', () => {
  it('should query only metrics the operator exposes', async () => {
    const exposed = await exposedNames();
    const queries = [
      ...DASHBOARD.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ where: panel.title, expr: target.expr }))),
      ...DASHBOARD.templating.list.flatMap((variable) =>
        typeof variable.query === 'string' && variable.query.startsWith('label_values(') ? [{ where: 'variable', expr: variable.query.replace(/^label_values\(([^,]+),.*$/, '$1{}') }] : [],
      ),
    ];
    expect(queries.length).toBeGreaterThan(10);
    const unknown = queries.flatMap(({ where, expr }) => {
      const names = metricsIn(expr);
      if (names.length === 0) return [`${where}: no metric in ${expr}`];
      return names.filter((name) => !exposed.has(name)).map((name) => `${where}: ${name}`);
    });
    expect(unknown).toEqual([]);
  });

  it('should cover pools, reconcile latency and writes', () => {
    const all = DASHBOARD.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr)).join('\n');
    for (const name of ['l4gw_pool_used_addresses', 'controller_runtime_reconcile_time_seconds_bucket', 'l4gw_api_writes_total']) expect(all).toContain(name);
  });
});
