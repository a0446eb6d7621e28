import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createApp, runIngest, type App } from '../../src/app.js';
import { createLogger } from '../../src/log.js';

let dir: string;
let app: App;
const logger = createLogger('silent');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kotae-events-'));
  const config = { ...loadConfig({}), dataDir: join(dir, 'data'), corpusDir: join(process.cwd(), 'corpus') };
  expect((await runIngest(config, { logger })).failed).toBe(0);
  app = await createApp(config, { logger });
});

afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('questions asking for a fact, on the sample checksheets (committed judge)', () => {
  it('about past events is declined when the sheet only describes how incidents are handled', async () => {
    const { draft } = await app.ask('Has your organisation ever suffered a leak of customer information?', 'krew');
    expect(draft.abstained).toBe(true);
    expect(draft.status).toBe('unknown');
    expect(draft.citations).toEqual([]);
    expect(draft.reason).toMatch(/not past events/);
  });

  it('asking for a name is declined when the rows only describe the facility', async () => {
    const { draft } = await app.ask('Please give us the name of the company operating your data centres.', 'cybozu');
    expect(draft.abstained).toBe(true);
    expect(draft.reason).toMatch(/asks for a name/);
  });

  it('asking for a name is answered from a row that names the cloud vendor', async () => {
    const { draft } = await app.ask('Which cloud provider is krewData built on?', 'krew');
    expect(draft.abstained).toBe(false);
    expect(draft.citations.some((c) => /AWS/.test(c.text))).toBe(true);
  });

  it('about past events is answered from a row that states the measured figure', async () => {
    const { draft } = await app.ask('What availability did the service actually achieve over the last year?', 'sla-checklist');
    expect(draft.abstained).toBe(false);
    expect(draft.citations.some((c) => /%/.test(c.text))).toBe(true);
  });
});
