import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../src/config.js';
import { createApp, runIngest, type App } from '../src/app.js';
import { InputError } from '../src/errors.js';
import { main } from '../src/cli/main.js';
import { createLogger } from '../src/log.js';
import { retrieve } from '../src/judge/retrieval.js';
import { loadLexicon } from '../src/retrieve/lexicon.js';

let dir: string;
let config: Config;
let app: App;
const logger = createLogger('silent');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kotae-ask-'));
  config = { ...loadConfig({ KOTAE_APPROVERS: 'U_SEC' }), dataDir: join(dir, 'data'), corpusDir: join(process.cwd(), 'corpus') };
  const report = await runIngest(config, { logger });
  expect(report.failed).toBe(0);
  app = await createApp(config, { logger });
});

afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ask (offline, real LanceDB, sample corpus)', () => {
  it('answers an English question from Japanese evidence, quoting it, within the product', async () => {
    const { draft } = await app.ask('Is communication with the service encrypted?', 'krew');
    expect(draft.abstained).toBe(false);
    expect(draft.lang).toBe('en');
    expect(draft.citations.length).toBeGreaterThan(0);
    expect(draft.citations.every((c) => c.source === 'krew.txt')).toBe(true);
    expect(draft.citations[0]?.text).toMatch(/暗号/);
    expect(draft.citations[0]?.locator).toMatch(/^L\d+$/);
    // English lead-in (or an honest review flag), Japanese evidence quoted as it stands.
    expect(draft.draft).toMatch(/^(\[Needs review\] |Yes\b|Partially\b|No\b)/);
    expect(draft.draft).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    expect(['yes', 'partial']).toContain(draft.status);
  });

  it('answers a Japanese question with the row’s own text and status', async () => {
    const { draft } = await app.ask('データセンターの耐震対策はどうなっていますか?', 'qloba-page');
    expect(draft.abstained).toBe(false);
    expect(draft.citations[0]?.text).toContain('耐震');
    // はい leads; a draft the judgement is not sure enough of is marked for review first.
    expect(draft.draft).toMatch(/^(【要確認】)?はい。/);
    expect(draft.draft.startsWith('【要確認】')).toBe(draft.needsHuman);
  });

  it('abstains instead of citing noise when the documents never mention the topic', async () => {
    const { draft } = await app.ask('Is the service FedRAMP authorized at the moderate baseline?', 'cybozu');
    expect(draft.abstained).toBe(true);
    expect(draft.citations).toEqual([]);
    expect(draft.status).toBe('unknown');
    expect(draft.needsHuman).toBe(true);
    expect(draft.draft).toMatch(/does not cover/);
  });

  it('refuses an unknown product and lists the known ones', async () => {
    await expect(app.ask('Is data encrypted?', 'nope')).rejects.toBeInstanceOf(InputError);
    await expect(app.ask('Is data encrypted?', 'nope')).rejects.toMatchObject({ hint: expect.stringContaining('krew') });
    // One typo away from a known product: the single question says so too, as bulk answering does.
    await expect(app.ask('Is data encrypted?', 'krwe')).rejects.toMatchObject({ hint: expect.stringMatching(/^did you mean "krew"\?/) });
  });

  it('answers the next similar question from an approved answer, citing the approval', async () => {
    const first = await app.ask('Do you keep backups of customer data?', 'sla-checklist', { enqueue: { askedBy: 'U_SALES' } });
    const review = first.review;
    expect(review).not.toBeNull();
    const approvedText = 'Yes. We keep 20 generations of backups of customer data (see our SLA checklist).';
    await app.reviews.approve(review?.id ?? '', { as: 'U_SEC', text: approvedText, status: 'yes' });

    const again = await app.ask('Are backups of our customer data kept?', 'sla-checklist');
    expect(again.draft.citations[0]?.kind).toBe('approved');
    expect(again.draft.citations[0]?.locator).toBe(`review #${review?.id}`);
    expect(again.draft.draft).toBe(approvedText);
  });

  it('never answers a question about something else from an approved answer', async () => {
    const iso = await app.ask('Do you hold ISO 27001 certification?', 'krew', { enqueue: { askedBy: 'U_SALES' } });
    await app.reviews.approve(iso.review?.id ?? '', { as: 'U_SEC', text: 'Yes. Our ISMS is certified to ISO/IEC 27001.', status: 'yes' });
    const accounts = await app.ask('Does each member of staff have a unique account?', 'krew', { enqueue: { askedBy: 'U_SALES' } });
    await app.reviews.approve(accounts.review?.id ?? '', { as: 'U_SEC', text: 'Yes. Every staff member has an individual account.', status: 'yes' });

    // Same question, other words: the approval is reused.
    const same = await app.ask('Are you certified to ISO 27001?', 'krew');
    expect(same.draft.citations[0]?.kind).toBe('approved');
    // Another certification, or another topic sharing words: never from the library.
    for (const q of ['ISMAPに登録されていますか?', 'Are you registered on ISMAP?', 'What uptime do you guarantee?']) {
      const { draft } = await app.ask(q, 'krew');
      expect(draft.citations.map((c) => c.kind), q).not.toContain('approved');
    }
  });
});

describe('retrieval in a product too large to rank exhaustively', () => {
  it('finds the answer through concept tags and still abstains on a topic the documents lack', async () => {
    const deps = { store: app.store, embedder: app.embedder, lexicon: loadLexicon(), scanLimit: 0 };
    const found = await retrieve(deps, 'Is communication with the service encrypted?', 'krew');
    expect(found.abstained).toBe(false);
    expect(found.hits[0]?.passage.source).toBe('krew.txt');
    expect(`${found.hits[0]?.passage.requirement}${found.hits[0]?.passage.answer}`).toMatch(/暗号|TLS/);
    const ja = await retrieve(deps, 'データセンターの耐震対策はどうなっていますか?', 'qloba-page');
    expect(ja.hits[0]?.passage.answer).toContain('耐震');
    const soc = await retrieve(deps, 'Can you share your SOC 2 Type II report?', 'krew');
    expect(soc.abstained).toBe(true);
  });
});

describe('kotae ask CLI contract', () => {
  it('prints one JSON object with the draft fields and its review id', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const previous = process.env.KOTAE_DATA_DIR;
    process.env.KOTAE_DATA_DIR = config.dataDir;
    try {
      const code = await main(['ask', 'Is multi-factor authentication required for administrators?', '--product', 'monocone', '--json', '--as', 'U_ASKER'], {
        out: (l) => out.push(l),
        err: (l) => err.push(l),
        interactive: false,
      });
      expect(code).toBe(0);
    } finally {
      if (previous === undefined) delete process.env.KOTAE_DATA_DIR;
      else process.env.KOTAE_DATA_DIR = previous;
    }
    const result = JSON.parse(out.join('\n')) as Record<string, unknown>;
    for (const field of ['product', 'question', 'draft', 'status', 'confidence', 'abstained', 'citations', 'reviewId']) {
      expect(result).toHaveProperty(field);
    }
    expect(result.product).toBe('monocone');
    expect(typeof result.reviewId).toBe('string');
    expect(['yes', 'no', 'partial', 'not_applicable', 'unknown']).toContain(result.status);
  });
});
