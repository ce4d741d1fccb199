import { describe, expect, it } from 'vitest';
import { isId, newId } from './ids.js';

describe('newId', () => {
  it('gives valid, distinct ids that increase in the order they were made', () => {
    // Several pools' worth within few milliseconds: the sequence, not the clock, orders them.
    const ids = Array.from({ length: 5000 }, () => newId());
    for (const id of ids) expect(isId(id)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id[14]).toBe('7'); // version 7
  });

  it('carries the current time in its first 48 bits', () => {
    const before = Date.now();
    const id = newId();
    const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now() + 1);
  });
});
