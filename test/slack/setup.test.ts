/** The Slack app manifest, mode selection and approver groups. */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { createSlackApp, normaliseApiUrl } from '../../src/slack/app.js';
import { ACTIONS } from '../../src/slack/blocks.js';
import { blockAction, nextTs, startHarness, type Harness } from './harness.js';

const Manifest = z.object({
  features: z.object({
    app_home: z.object({ home_tab_enabled: z.literal(true), messages_tab_enabled: z.literal(true) }),
    slash_commands: z.array(z.object({ command: z.string() })),
  }),
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()) }) }),
  settings: z.object({
    event_subscriptions: z.object({ bot_events: z.array(z.string()) }),
    interactivity: z.object({ is_enabled: z.literal(true) }),
    socket_mode_enabled: z.boolean(),
  }),
});

describe('manifest.json', () => {
  it('asks for exactly the minimal scopes and subscribes to what the handlers use', () => {
    const m = Manifest.parse(JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8')));
    expect([...m.oauth_config.scopes.bot].sort()).toEqual(['app_mentions:read', 'chat:write', 'commands', 'files:read', 'files:write', 'im:history']);
    expect([...m.settings.event_subscriptions.bot_events].sort()).toEqual(['app_home_opened', 'app_mention', 'message.im']);
    expect(m.features.slash_commands.map((c) => c.command)).toEqual(['/kotae']);
    expect(m.settings.socket_mode_enabled).toBe(true);
  });
});

describe('createSlackApp configuration', () => {
  // Only `config` is read before the token checks throw, so a config-only stand-in suffices.
  const fakeCore = (env: Record<string, string>): App => ({ config: loadConfig(env) }) as unknown as App;

  /** The variables named by the ConfigError createSlackApp throws for this environment. */
  const missingVariables = (env: Record<string, string>): string[] => {
    try {
      createSlackApp(fakeCore(env));
    } catch (error) {
      if (error instanceof ConfigError) return error.problems.map((p) => p.variable);
      throw error;
    }
    throw new Error('createSlackApp accepted the environment');
  };

  it('needs the bot token, the app token in Socket Mode and the signing secret in HTTP mode', () => {
    expect(missingVariables({ SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual(['SLACK_APP_TOKEN']);
    expect(missingVariables({ SLACK_APP_TOKEN: 'xapp-1' })).toEqual(['SLACK_BOT_TOKEN']);
    expect(missingVariables({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_MODE: 'http' })).toEqual(['SLACK_SIGNING_SECRET']);
  });

  it('names every missing Slack variable of the mode together, in one message', () => {
    expect(missingVariables({})).toEqual(['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN']);
    expect(missingVariables({ SLACK_MODE: 'http' })).toEqual(['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']);
    expect(() => createSlackApp(fakeCore({}))).toThrow(/^2 settings to fix\n {2}SLACK_BOT_TOKEN: required.*\n {2}SLACK_APP_TOKEN: required in Socket Mode/);
  });

  it('joins method names onto SLACK_API_URL correctly', () => {
    expect(normaliseApiUrl('https://slack-gov.com/api')).toBe('https://slack-gov.com/api/');
    expect(normaliseApiUrl('http://127.0.0.1:1/api/')).toBe('http://127.0.0.1:1/api/');
    expect(normaliseApiUrl(undefined)).toBeUndefined();
  });
});

describe('approver group (KOTAE_APPROVER_GROUP)', () => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  it('lets members of the group approve, resolved through usergroups.users.list', async () => {
    h = await startHarness({ env: { KOTAE_APPROVERS: '', KOTAE_APPROVER_GROUP: 'SSECURITY' }, groupMembers: { SSECURITY: ['UGROUPMEMBER'] } });
    const asked = await h.app.ask('通信は暗号化されていますか', 'krew', { enqueue: { askedBy: 'USALES1', channel: 'CSALES1' } });
    const review = asked.review;
    if (!review) throw new Error('not enqueued');
    await h.action(blockAction({ user: 'UOUTSIDER', actionId: ACTIONS.approve, value: `${review.id}:1`, responseUrl: h.fake.responseUrl('g1'), channel: 'D1', messageTs: nextTs() }));
    await h.fake.waitForResponse((b) => String(b.text).includes('not an approver'));
    await h.action(blockAction({ user: 'UGROUPMEMBER', actionId: ACTIONS.approve, value: `${review.id}:1`, responseUrl: h.fake.responseUrl('g2'), channel: 'D1', messageTs: nextTs() }));
    await h.slack.idle();
    expect(await h.app.reviews.get(review.id)).toMatchObject({ state: 'approved', approvedBy: 'UGROUPMEMBER' });
    expect(h.fake.callsOf('usergroups.users.list')[0]?.args.usergroup).toBe('SSECURITY');
  });

  it('"Send for review" with only a group configured DMs the card to the group members and says so', async () => {
    h = await startHarness({ env: { KOTAE_APPROVERS: '', KOTAE_APPROVER_GROUP: 'SSECURITY' }, groupMembers: { SSECURITY: ['UGROUPMEMBER', 'UGROUPMEMBER2'] } });
    const asked = await h.app.ask('通信は暗号化されていますか', 'krew', { enqueue: { askedBy: 'USALES1', channel: 'CSALES1' } });
    const review = asked.review;
    if (!review) throw new Error('not enqueued');
    await h.action(blockAction({ user: 'USALES1', actionId: ACTIONS.requestReview, value: `${review.id}:1`, responseUrl: h.fake.responseUrl('send-g'), channel: 'CSALES1', messageTs: nextTs() }));
    const sent = await h.fake.waitForResponse((b) => b.replace_original === true && JSON.stringify(b.blocks).includes('Sent for review'));
    const said = JSON.stringify(sent.blocks);
    expect(said).toContain('2 approvers notified');
    expect(said).not.toContain('KOTAE_APPROVERS');
    await h.slack.idle();
    const cards = h.fake.callsOf('chat.postMessage').filter((c) => String(c.args.text).includes(`Review #${review.id}`));
    expect(cards.map((c) => c.args.channel).sort()).toEqual(['UGROUPMEMBER', 'UGROUPMEMBER2']);
    expect(JSON.stringify(cards[0]?.args.blocks)).toContain(ACTIONS.approve);
  });

  it('"Send for review" says plainly when the approver group cannot be read', async () => {
    h = await startHarness({ env: { KOTAE_APPROVERS: '', KOTAE_APPROVER_GROUP: 'SGONE' }, groupMembers: {} });
    const asked = await h.app.ask('通信は暗号化されていますか', 'krew', { enqueue: { askedBy: 'USALES1', channel: 'CSALES1' } });
    const review = asked.review;
    if (!review) throw new Error('not enqueued');
    await h.action(blockAction({ user: 'USALES1', actionId: ACTIONS.requestReview, value: `${review.id}:1`, responseUrl: h.fake.responseUrl('send-gone'), channel: 'CSALES1', messageTs: nextTs() }));
    const sent = await h.fake.waitForResponse((b) => b.replace_original === true && JSON.stringify(b.blocks).includes('Sent for review'));
    const said = JSON.stringify(sent.blocks);
    expect(said).toContain('SGONE');
    expect(said).toContain('could not be read');
    expect(said).not.toContain('no approvers are configured');
  });
});
