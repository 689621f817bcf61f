// `l4gw ipam`: pool usage per pool and family (IP7), then which Gateway holds which address and
// why the others hold none.

import type { Desired, ObjectRef, StatusIntent } from '@l4gw/core';
import { formatTable } from './table.js';

function refName(ref: ObjectRef): string {
  return ref.namespace === undefined ? ref.name : `${ref.namespace}/${ref.name}`;
}

function programmed(intent: StatusIntent): { status: string; reason: string; message: string } | undefined {
  const conditions = intent.status['conditions'];
  if (!Array.isArray(conditions)) return undefined;
  for (const condition of conditions as unknown[]) {
    if (typeof condition !== 'object' || condition === null) continue;
    const entry = condition as Record<string, unknown>;
    if (entry['type'] === 'Programmed') {
      return { status: String(entry['status']), reason: String(entry['reason'] ?? ''), message: String(entry['message'] ?? '') };
    }
  }
  return undefined;
}

/** One row per Gateway of ours: its address, or the reason it has none. */
export interface AddressRow {
  readonly gateway: string;
  readonly address: string;
  readonly note: string;
}

/** The address holders in `desired`, sorted by Gateway, including Gateways left without one. */
export function addressRows(desired: Desired): AddressRow[] {
  const rows: AddressRow[] = desired.addresses.map(({ gateway, address }) => ({ gateway: refName(gateway), address, note: '' }));
  const holders = new Set(rows.map((row) => row.gateway));
  for (const intent of desired.statuses) {
    if (intent.target.kind !== 'Gateway' || holders.has(refName(intent.target))) continue;
    const condition = programmed(intent);
    if (condition === undefined || condition.status === 'True') continue;
    rows.push({ gateway: refName(intent.target), address: '<none>', note: `${condition.reason}: ${condition.message}` });
  }
  return rows.sort((a, b) => (a.gateway < b.gateway ? -1 : a.gateway > b.gateway ? 1 : a.address < b.address ? -1 : 1));
}

/** The two tables of `l4gw ipam -o table`. */
export function formatIpamReport(desired: Desired): string {
  const pools = formatTable(
    ['POOL', 'FAMILY', 'CAPACITY', 'USED', 'FREE'],
    [...desired.poolUsage]
      .sort((a, b) => (a.pool < b.pool ? -1 : a.pool > b.pool ? 1 : a.family < b.family ? -1 : 1))
      .map((usage) => [usage.pool, usage.family, usage.capacity, usage.used, usage.free]),
  );
  const holders = formatTable(
    ['GATEWAY', 'ADDRESS', 'NOTE'],
    addressRows(desired).map((row) => [row.gateway, row.address, row.note]),
  );
  return `${pools}\n\n${holders}\n`;
}

/** The same report as data, for `-o json|yaml`. */
export function ipamReportData(desired: Desired): Record<string, unknown> {
  return { pools: desired.poolUsage, addresses: addressRows(desired) };
}
