import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

describe('createLogger', () => {
  it('should write one JSON object per record with level, message and fields', () => {
    const lines: string[] = [];
    createLogger('info', 'json', (l) => lines.push(l), { identity: 'a' }).warn('pool exhausted', { gateway: 'ns/gw' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'warn', msg: 'pool exhausted', identity: 'a', gateway: 'ns/gw' });
  });

  it('should drop records below the configured level', () => {
    const lines: string[] = [];
    const log = createLogger('warn', 'text', (l) => lines.push(l));
    log.debug('d');
    log.info('i');
    log.error('e', { error: new Error('boom') });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/ERROR e error="boom"$/);
  });

  it('should carry parent fields into child loggers', () => {
    const lines: string[] = [];
    createLogger('debug', 'json', (l) => lines.push(l), { identity: 'a' }).child({ component: 'informer' }).debug('x');
    expect(JSON.parse(lines[0]!)).toMatchObject({ identity: 'a', component: 'informer' });
  });
});
