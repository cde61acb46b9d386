import { describe, expect, it } from 'vitest';
import { IdTable } from '../src/graph/id-table.js';
import { mulberry32 } from '../src/stats/random.js';

describe('IdTable', () => {
  it('agrees with a Map on random tokens, first-appearance order', () => {
    const rand = mulberry32(3);
    const table = new IdTable();
    const map = new Map<string, number>();
    for (let i = 0; i < 50_000; i++) {
      const token = rand() < 0.5 ? String(Math.floor(rand() * 20_000)) : `user_${Math.floor(rand() * 20_000)}`;
      if (!map.has(token)) map.set(token, map.size);
      expect(table.intern(token)).toBe(map.get(token));
    }
    expect(table.size).toBe(map.size);
    for (const [token, index] of map) {
      expect(table.lookup(token)).toBe(index);
      expect(table.token(index)).toBe(token);
    }
    expect(table.lookup('nobody')).toBe(-1);
  });

  it('holds more than 2^24 ids, the ceiling of one V8 Map', () => {
    const table = new IdTable();
    const n = 2 ** 24 + 1000;
    for (let i = 0; i < n; i++) table.intern(`u${i}`);
    expect(table.size).toBe(n);
    expect(table.lookup(`u${2 ** 24}`)).toBe(2 ** 24);
    expect(table.intern('u5')).toBe(5);
    expect(table.token(n - 1)).toBe(`u${n - 1}`);
  });
});
