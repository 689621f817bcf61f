import type { KubeObject } from '@l4gw/core';
import { describe, expect, it } from 'vitest';
import { GatewayNotices } from './gateway-notices.js';
import { createLogger } from './logger.js';

function gateway(name: string, addresses: string[], programmed = addresses.length > 0): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name, namespace: 'ns' },
    status: {
      addresses: addresses.map((value) => ({ type: 'IPAddress', value })),
      conditions: [{ type: 'Programmed', status: programmed ? 'True' : 'False' }],
    },
  };
}

function recording(): { notices: GatewayNotices; lines: () => object[] } {
  const lines: string[] = [];
  const notices = new GatewayNotices(createLogger('info', 'json', (line) => lines.push(line)));
  return { notices, lines: () => lines.map((line) => JSON.parse(line) as object) };
}

describe('GatewayNotices', () => {
  it('should say nothing about what a restart finds, then log and queue each assignment, release and Programmed', () => {
    const { notices, lines } = recording();
    notices.observe([gateway('held', ['10.0.0.1']), gateway('new', [])]);
    expect(lines()).toEqual([]);
    notices.written(gateway('new', ['10.0.0.2']));
    notices.written(gateway('new', ['10.0.0.2']));
    notices.written(gateway('held', ['10.0.0.3']));
    expect(lines()).toEqual([
      expect.objectContaining({ level: 'info', msg: 'address assigned', gateway: 'ns/new', address: '10.0.0.2' }),
      expect.objectContaining({ level: 'info', msg: 'gateway programmed', gateway: 'ns/new' }),
      expect.objectContaining({ msg: 'address assigned', gateway: 'ns/held', address: '10.0.0.3' }),
      expect.objectContaining({ msg: 'address released', gateway: 'ns/held', address: '10.0.0.1' }),
    ]);
    const regarding = (name: string) => expect.objectContaining({ kind: 'Gateway', namespace: 'ns', name });
    // One Event per write: Programmed together with its address, else the address change alone.
    expect(notices.drain()).toEqual([
      { regarding: regarding('new'), type: 'Normal', reason: 'Programmed', message: 'programmed with address 10.0.0.2' },
      { regarding: regarding('held'), type: 'Normal', reason: 'AddressAssigned', message: 'address 10.0.0.3 assigned' },
      { regarding: regarding('held'), type: 'Normal', reason: 'AddressReleased', message: 'address 10.0.0.1 released' },
    ]);
    expect(notices.drain()).toEqual([]);
  });

  it('should log the release of the addresses of a Gateway that disappears from the snapshot', () => {
    const { notices, lines } = recording();
    notices.observe([gateway('a', ['10.0.0.1']), gateway('b', ['10.0.0.2'])]);
    notices.observe([gateway('b', ['10.0.0.2'])]);
    expect(lines()).toEqual([expect.objectContaining({ msg: 'address released', gateway: 'ns/a', address: '10.0.0.1', reason: 'Gateway deleted' })]);
  });

  it('should ignore writes of other kinds', () => {
    const { notices, lines } = recording();
    notices.written({ ...gateway('svc', ['10.0.0.9']), kind: 'Service' });
    expect(lines()).toEqual([]);
    expect(notices.drain()).toEqual([]);
  });
});
