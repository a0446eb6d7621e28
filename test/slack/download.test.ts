/** File downloads: only Slack's hosts, bot token as Bearer, size cap while streaming, no sign-in pages. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/spreadsheet/safety.js';
import { allowedFileHosts, checkFileUrl, downloadSlackFile } from '../../src/slack/download.js';
import { FakeSlack } from '../support/fake-slack.js';
import { SlackFile } from '../../src/slack/payloads.js';

const TOKEN = 'xoxb-download-test-token';
const CSV = Buffer.from('No,質問,回答\n1,暗号化していますか,\n');

describe('downloadSlackFile', () => {
  let fake: FakeSlack;
  let liar: Server;
  let liarBase = '';
  let liarBytes = 0;
  beforeAll(async () => {
    fake = await new FakeSlack({ botToken: TOKEN }).start();
    // A host that announces a small file and then streams far more.
    liar = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      const chunk = Buffer.alloc(64 * 1024, 0x41);
      let sent = 0;
      const pump = (): void => {
        while (sent < 50 * 1024 * 1024) {
          sent += chunk.length;
          liarBytes = sent;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      res.on('close', () => undefined);
      pump();
    });
    await new Promise<void>((r) => liar.listen(0, '127.0.0.1', r));
    liarBase = `http://127.0.0.1:${(liar.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await fake.stop();
    liar.closeAllConnections();
    await new Promise<void>((r) => liar.close(() => r()));
  });

  const opts = (overrides: Partial<Parameters<typeof downloadSlackFile>[1]> = {}) => ({ botToken: TOKEN, apiUrl: fake.apiUrl, limits: DEFAULT_LIMITS, ...overrides });

  it('downloads with the bot token and checks the bytes', async () => {
    const meta = SlackFile.parse(fake.host({ id: 'F1', name: 'q.csv', bytes: CSV, contentType: 'text/csv' }));
    const got = await downloadSlackFile(meta, opts());
    expect(got.kind).toBe('csv');
    expect(Buffer.from(got.bytes).equals(CSV)).toBe(true);
    expect(fake.downloads.at(-1)).toMatchObject({ authorization: `Bearer ${TOKEN}`, served: 'file' });
  });

  it('recognises Slack’s sign-in page (status 200, HTML) and says why', async () => {
    const meta = SlackFile.parse(fake.host({ id: 'F2', name: 'q.csv', bytes: CSV, contentType: 'text/csv' }));
    await expect(downloadSlackFile(meta, opts({ botToken: 'xoxb-wrong' }))).rejects.toMatchObject({ hint: expect.stringMatching(/sign-in page.*files:read/) });
  });

  it('refuses hosts other than Slack’s file hosts, without sending the token', async () => {
    const meta = SlackFile.parse({ id: 'F3', name: 'q.csv', size: 10, url_private_download: 'https://evil.example.com/files-pri/F3/q.csv' });
    await expect(downloadSlackFile(meta, opts())).rejects.toThrow(/not a Slack file host/);
    expect(() => checkFileUrl('http://files.slack.com/x', undefined)).toThrow(/not a Slack file host/);
    expect(checkFileUrl('https://files.slack.com/files-pri/T1-F1/q.xlsx', undefined).host).toBe('files.slack.com');
    expect([...allowedFileHosts('https://slack-gov.com/api/').hosts]).toContain('files.slack-gov.com');
  });

  it('refuses a file whose metadata already exceeds the cap, before fetching', async () => {
    const before = fake.downloads.length;
    const meta = SlackFile.parse(fake.host({ id: 'F4', name: 'q.csv', bytes: CSV, contentType: 'text/csv', size: 30 * 1024 * 1024 }));
    await expect(downloadSlackFile(meta, opts())).rejects.toThrow(/over the .* size limit/);
    expect(fake.downloads.length).toBe(before);
  });

  it('stops reading at the cap when the metadata and headers understate the size', async () => {
    const meta = SlackFile.parse({ id: 'F5', name: 'q.csv', size: 100, url_private_download: `${liarBase}/files-pri/F5/q.csv` });
    await expect(downloadSlackFile(meta, opts({ apiUrl: `${liarBase}/api/`, limits: { ...DEFAULT_LIMITS, maxBytes: 1024 * 1024 } }))).rejects.toThrow(/over the 1\.0 MiB size limit/);
    // The connection was dropped long before the 50 MiB were sent.
    await new Promise((r) => setTimeout(r, 100));
    expect(liarBytes).toBeLessThan(20 * 1024 * 1024);
  });

  it('checks magic bytes against the extension', async () => {
    const meta = SlackFile.parse(fake.host({ id: 'F6', name: 'q.xlsx', bytes: CSV, contentType: 'application/octet-stream' }));
    await expect(downloadSlackFile(meta, opts())).rejects.toThrow(/CSV\/text file renamed \.xlsx/);
  });
});
