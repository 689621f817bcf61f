import { describe, expect, it } from 'vitest';
import { parseBindAddress } from './http.js';

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
  });
});
