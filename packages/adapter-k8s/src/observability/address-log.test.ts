import type { KubeObject } from '@l4gw/core';
import { describe, expect, it } from 'vitest';
import { AddressLog } from './address-log.js';
import { createLogger } from './logger.js';

function gateway(name: string, ...addresses: string[]): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name, namespace: 'ns' },
    status: { addresses: addresses.map((value) => ({ type: 'IPAddress', value })) },
  };
}

function recording(): { log: AddressLog; lines: () => object[] } {
  const lines: string[] = [];
  const log = new AddressLog(createLogger('info', 'json', (line) => lines.push(line)));
  return { log, lines: () => lines.map((line) => JSON.parse(line) as object) };
}

describe('AddressLog', () => {
  it('should log nothing for the addresses a restart finds, then each assignment and release', () => {
    const { log, lines } = recording();
    log.observe([gateway('held', '10.0.0.1'), gateway('new')]);
    expect(lines()).toEqual([]);
    log.written(gateway('new', '10.0.0.2'));
    log.written(gateway('new', '10.0.0.2'));
    log.written(gateway('held', '10.0.0.3'));
    expect(lines()).toEqual([
      expect.objectContaining({ level: 'info', msg: 'address assigned', gateway: 'ns/new', address: '10.0.0.2' }),
      expect.objectContaining({ msg: 'address assigned', gateway: 'ns/held', address: '10.0.0.3' }),
      expect.objectContaining({ msg: 'address released', gateway: 'ns/held', address: '10.0.0.1' }),
    ]);
  });

  it('should release the addresses of a Gateway that disappears from the snapshot', () => {
    const { log, lines } = recording();
    log.observe([gateway('a', '10.0.0.1'), gateway('b', '10.0.0.2')]);
    log.observe([gateway('b', '10.0.0.2')]);
    expect(lines()).toEqual([expect.objectContaining({ msg: 'address released', gateway: 'ns/a', address: '10.0.0.1', reason: 'Gateway deleted' })]);
  });

  it('should ignore writes of other kinds', () => {
    const { log, lines } = recording();
    log.written({ ...gateway('svc', '10.0.0.9'), kind: 'Service' });
    expect(lines()).toEqual([]);
  });
});
