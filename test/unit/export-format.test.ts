import { describe, expect, it } from 'vitest';
import { isoFormatter } from '../../src/format/time.ts';

describe('the export time formatter', () => {
  it('formats exactly as Date#toISOString, across days, milliseconds and odd instants', () => {
    const iso = isoFormatter();
    const samples = [0, 1, 999, 1000, 86_399_999, 86_400_000, Date.UTC(2026, 10, 28, 9, 0, 0), Date.UTC(2024, 1, 29, 23, 59, 59, 7), 253402300799999, -1, 253402300800000];
    for (let i = 0; i < 2000; i++) samples.push(Math.floor(Math.random() * 4_102_444_800_000));
    for (const ms of samples) expect(iso(ms), String(ms)).toBe(new Date(ms).toISOString());
  });
});
