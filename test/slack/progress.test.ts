import { describe, expect, it } from 'vitest';
import { throttle } from '../../src/slack/progress.js';

describe('throttled progress updates', () => {
  it('sends the first value at once, coalesces the rest to the latest, ≥ interval apart, and flushes the last', async () => {
    const sent: Array<{ value: number; at: number }> = [];
    const t0 = Date.now();
    const p = throttle(async (value: number) => {
      sent.push({ value, at: Date.now() - t0 });
    }, 200);
    for (let i = 1; i <= 50; i++) {
      p.push(i);
      await new Promise((r) => setTimeout(r, 10));
    }
    await p.flush();
    expect(sent[0]?.value).toBe(1);
    expect(sent[sent.length - 1]?.value).toBe(50);
    expect(sent.length).toBeLessThanOrEqual(5);
    for (let i = 1; i < sent.length; i++) expect((sent[i]?.at ?? 0) - (sent[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(190);
  });

  it('a failing send does not stop later ones', async () => {
    const sent: number[] = [];
    const p = throttle(async (value: number) => {
      if (value === 1) throw new Error('boom');
      sent.push(value);
    }, 10);
    p.push(1);
    p.push(2);
    await p.flush();
    expect(sent).toEqual([2]);
  });
});
