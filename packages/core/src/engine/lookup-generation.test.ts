import { describe, expect, it } from 'vitest';
import { LookupGeneration } from './lookup-generation.js';

describe('LookupGeneration', () => {
  it('should outlive keys gained or lost that no lookup named, and end for one that some lookup did', () => {
    const first = new LookupGeneration();
    expect(first.lookup(new Map([['a/here', 1]])).get('a/later')).toBeUndefined();
    expect(first.withKeysChanged(['a/unrelated'])).toBe(first);
    expect(first.withKeysChanged(['a/unrelated', 'a/later'])).not.toBe(first);
  });

  it('should remember what was looked up before, in the generations after it', () => {
    // A result made in the first generation and carried into the next (a patch that did not
    // look up again) still read `a/later`: its coming must end the later generation too.
    const first = new LookupGeneration();
    first.lookup(new Map<string, number>()).get('a/later');
    const second = first.next();
    expect(second).not.toBe(first);
    expect(second.withKeysChanged(['a/other'])).toBe(second);
    expect(second.withKeysChanged(['a/later'])).not.toBe(second);
  });
});
