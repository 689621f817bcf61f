import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseBindAddress, serve } from './http.js';

describe('parseBindAddress', () => {
  it('should read controller-runtime style addresses', () => {
    expect(parseBindAddress(':8080')).toEqual({ host: undefined, port: 8080 });
    expect(parseBindAddress('127.0.0.1:8081')).toEqual({ host: '127.0.0.1', port: 8081 });
    expect(parseBindAddress('[::1]:9090')).toEqual({ host: '::1', port: 9090 });
    expect(parseBindAddress('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 });
  });

  it('should treat 0 and the empty string as disabled', () => {
    expect(parseBindAddress('0')).toBeUndefined();
    expect(parseBindAddress('')).toBeUndefined();
  });

  it('should reject addresses without a port or with an invalid one', () => {
    expect(() => parseBindAddress('localhost')).toThrow(/invalid bind address/);
    expect(() => parseBindAddress(':99999')).toThrow(/invalid port/);
    expect(() => parseBindAddress('localhost', '-metrics-bind-address')).toThrow(/^invalid -metrics-bind-address "localhost"/);
  });
});

describe('serve', () => {
  it('should name the flag and the address when the port is already in use', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const given = `127.0.0.1:${port}`;
      await expect(serve(parseBindAddress(given)!, '-health-probe-bind-address', given, {})).rejects.toThrow(
        `-health-probe-bind-address "${given}": cannot listen: address already in use`,
      );
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });
});
