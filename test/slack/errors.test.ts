/**
 * How the bot words an error for a Slack user (src/slack/errors.ts): the core's message and
 * hint, then the core's remedy said the Slack way. Nobody in Slack has a terminal, so no
 * remedy may read as a command line; errors that are not kotae's are not shown at all.
 */
import { describe, expect, it } from 'vitest';
import { InputError, KotaeError, REMEDIES } from '../../src/errors.js';
import { explain } from '../../src/slack/errors.js';

describe('explain (Slack)', () => {
  it.each(REMEDIES)('says the remedy %s without a command or a flag', (remedy) => {
    const { message, hint } = explain(new KotaeError('input', 'something is off', 'what was seen', { remedy }), 'fallback');
    expect(message).toBe('something is off');
    expect(hint?.split('\n')[0]).toBe('what was seen');
    expect(hint?.split('\n')).toHaveLength(2);
    expect(hint).not.toMatch(/--[a-z]|\bkotae (ingest|review|answer|ask)\b|npm run/);
  });

  it('shows a hint alone when there is no remedy, and nothing extra when there is neither', () => {
    expect(explain(new InputError('bad', 'known products: a, b'), 'x')).toEqual({ message: 'bad', hint: 'known products: a, b' });
    expect(explain(new InputError('bad'), 'x')).toEqual({ message: 'bad', hint: undefined });
  });

  it('hides errors that are not kotae’s behind the fallback, pointing at the log', () => {
    expect(explain(new Error('ECONNRESET at socket.js:12'), 'kotae could not draft an answer just now.')).toEqual({
      message: 'kotae could not draft an answer just now.',
      hint: 'The details are in the bot log.',
    });
  });
});
