/**
 * The HTTP fakes stop the same way (test/support/loopback.ts): at once even while a bot holds
 * a request the fake has not answered (a model "thinking"), and harmlessly when a cleanup
 * runs twice or the fake never started. Tests rely on this in every afterAll.
 */
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { FakeModel } from './fake-model.js';
import { FakeSlack } from './fake-slack.js';

/** Posts a chat completion and resolves with how the request ended. */
function hangingCall(url: string): Promise<'answered' | 'cut'> {
  return new Promise((resolve) => {
    const req = request(`${url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve('answered'));
      res.on('error', () => resolve('cut'));
    });
    req.on('error', () => resolve('cut'));
    req.end(JSON.stringify({ messages: [{ role: 'user', content: '<question>q</question>' }], response_format: { json_schema: { name: 'questionnaire_answer' } } }));
  });
}

describe('stopping an HTTP fake', () => {
  it('cuts a request still waiting for its answer instead of waiting for it', async () => {
    const model = await new FakeModel().start();
    model.draftDelayMs.set('slow', 60_000);
    const call = hangingCall(model.url('slow'));
    while (model.drafts('slow').length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const started = Date.now();
    await model.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await call).toBe('cut');
  });

  it('is harmless twice, and before a start', async () => {
    const slack = await new FakeSlack({ botToken: 'xoxb-test' }).start();
    expect(slack.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    await slack.stop();
    await expect(slack.stop()).resolves.toBeUndefined();
    await expect(new FakeModel().stop()).resolves.toBeUndefined();
  });
});
