/**
 * Buttons and forms reach their handler through one Bolt listener per kind (src/slack/routes.ts):
 * each click goes to the handler of exactly its id, and nothing else runs.
 */
import { App as BoltApp } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { SlackRoutes } from '../../src/slack/routes.js';

function boltApp(): BoltApp {
  return new BoltApp({ signingSecret: 'secret', convoStore: false, ignoreSelf: false, authorize: async () => ({ botToken: 'xoxb-test' }) });
}

function click(actionId: string): Record<string, unknown> {
  return {
    type: 'block_actions',
    team: { id: 'T1' },
    user: { id: 'U1' },
    channel: { id: 'C1' },
    trigger_id: 'trigger',
    actions: [{ type: 'button', action_id: actionId, block_id: 'b', action_ts: '1' }],
  };
}

function submit(callbackId: string): Record<string, unknown> {
  return { type: 'view_submission', team: { id: 'T1' }, user: { id: 'U1' }, view: { id: 'V1', callback_id: callbackId, state: { values: {} }, private_metadata: '' } };
}

describe('SlackRoutes', () => {
  it('sends a click to the handler of its action id and no other', async () => {
    const bolt = boltApp();
    const routes = new SlackRoutes();
    const seen: string[] = [];
    routes.action('kotae.approve', async ({ ack }) => (await ack(), void seen.push('approve')));
    routes.action('kotae.reject', async ({ ack }) => (await ack(), void seen.push('reject')));
    routes.mount(bolt);
    const acks: unknown[] = [];
    await bolt.processEvent({ body: click('kotae.reject'), ack: async (r) => void acks.push(r) });
    // Ids are matched whole and literally: the dot is not "any character".
    await bolt.processEvent({ body: click('kotaeXapprove'), ack: async (r) => void acks.push(r) });
    await bolt.processEvent({ body: click('kotae.approve.extra'), ack: async (r) => void acks.push(r) });
    expect(seen).toEqual(['reject']);
    expect(acks).toHaveLength(1);
  });

  it('sends a form submission to the handler of its callback id', async () => {
    const bolt = boltApp();
    const routes = new SlackRoutes();
    const seen: string[] = [];
    routes.viewSubmission('kotae.edit.submit', async ({ ack, view }) => (await ack(), void seen.push(view.callback_id)));
    routes.mount(bolt);
    await bolt.processEvent({ body: submit('kotae.edit.submit'), ack: async () => undefined });
    await bolt.processEvent({ body: submit('kotae.edit'), ack: async () => undefined });
    expect(seen).toEqual(['kotae.edit.submit']);
  });

  it('refuses a second handler for the same id, which would otherwise be silently shadowed', () => {
    const routes = new SlackRoutes();
    routes.action('kotae.approve', async () => undefined);
    expect(() => routes.action('kotae.approve', async () => undefined)).toThrow(/two listeners/);
    routes.viewSubmission('kotae.edit.submit', async () => undefined);
    expect(() => routes.viewSubmission('kotae.edit.submit', async () => undefined)).toThrow(/two listeners/);
  });
});
