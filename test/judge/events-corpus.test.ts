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

describe('a question about past events, on the sample checksheets (committed judge)', () => {
  it('is declined when the sheet only describes how incidents are handled', async () => {
    const { draft } = await app.ask('Has your organisation ever suffered a leak of customer information?', 'krew');
    expect(draft.abstained).toBe(true);
    expect(draft.status).toBe('unknown');
    expect(draft.citations).toEqual([]);
    expect(draft.reason).toMatch(/not past events/);
  });

  it('is answered from a row that states the measured figure', async () => {
    const { draft } = await app.ask('What availability did the service actually achieve over the last year?', 'sla-checklist');
    expect(draft.abstained).toBe(false);
    expect(draft.citations.some((c) => /%/.test(c.text))).toBe(true);
  });
});
