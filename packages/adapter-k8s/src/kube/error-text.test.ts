import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { errorText } from './error-text.js';

/** A loopback port nothing listens on: bound, read, closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('errorText', () => {
  it('should name the refused connection behind Node\'s "fetch failed"', async () => {
    const port = await closedPort();
    const error = await fetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('fetch failed');
    expect(errorText(error)).toBe(`fetch failed: connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('should add a system error code the message lacks, and walk AggregateErrors', () => {
    const tls = Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(errorText(new TypeError('fetch failed', { cause: tls }))).toBe('fetch failed: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)');
    const attempts = new AggregateError(
      [Object.assign(new Error('connect ECONNREFUSED ::1:6443'), { code: 'ECONNREFUSED' }), Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' })],
      '',
    );
    Object.assign(attempts, { code: 'ECONNREFUSED' });
    expect(errorText(new TypeError('fetch failed', { cause: attempts }))).toBe(
      'fetch failed: ECONNREFUSED: connect ECONNREFUSED ::1:6443; connect ECONNREFUSED 127.0.0.1:6443',
    );
  });

  it('should not repeat a cause the message already says, nor list every child of a large AggregateError', () => {
    const inner = new Error('HTTP 403 Forbidden: no');
    expect(errorText(new Error('GET /x: HTTP 403 Forbidden: no', { cause: inner }))).toBe('GET /x: HTTP 403 Forbidden: no');
    const many = new AggregateError(Array.from({ length: 50 }, (_, i) => new Error(`write ${i} failed`)), '50 writes failed');
    expect(errorText(many)).toBe('50 writes failed: write 0 failed; write 1 failed; write 2 failed');
    expect(errorText('plain')).toBe('plain');
  });
});
