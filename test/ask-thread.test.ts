/**
 * The bot answers questions on a thread of its own (KOTAE_ASK_THREAD, src/ask-thread.ts), so
 * that the thread serving Slack only acks. What a user sees must not change: the same answer,
 * the same errors, a question that can be cancelled, a thread that dies costing one retry and
 * never a hang, and a rebuilt index picked up without a restart.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, runIngest, type App } from '../src/app.js';
import { AskThreadStoppedError, startAskThread } from '../src/ask-thread.js';
import { loadConfig, type Config } from '../src/config.js';
import { InputError, KotaeError } from '../src/errors.js';
import { createLogger } from '../src/log.js';
import { tempCorpus, type TempCorpus } from './support/corpus.js';
import { FakeModel } from './support/fake-model.js';
import { spawnTs } from './support/spawn-ts.js';

/** A made-up product's checksheet, in the tab-separated form the corpus parser reads. */
const CHECKSHEET = [
  '# hikariセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 運用</b>\t\t\t',
  '1-1\t保存データを暗号化すること。\t○\t保存データはAES-256で暗号化しています。',
  '1-2\t多要素認証を提供すること。\t○\t管理画面へのログインには多要素認証を必須としています。',
  '1-3\tバックアップを取得すること。\t○\tバックアップは毎日取得し、30日間保管しています。',
  '1-4\t脆弱性診断を実施すること。\t×\t第三者による脆弱性診断は実施していません。',
  '',
].join('\n');

const QUESTIONS = ['保存データは暗号化していますか?', 'Is multi-factor authentication required for administrators?', 'バックアップは何日間保管していますか?', '脆弱性診断を実施していますか?'];

const logger = createLogger('silent');
const env = { KOTAE_LOG_LEVEL: 'silent', KOTAE_APPROVERS: 'U_SEC' } as const;
let corpus: TempCorpus;
let offline: Config;
const apps: App[] = [];

async function open(config: Config): Promise<App> {
  const app = await createApp(config, { logger });
  apps.push(app);
  return app;
}

beforeAll(async () => {
  corpus = tempCorpus('kotae-ask-thread-', { file: 'hikari.txt', product: 'hikari', vendor: null, title: 'hikariセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET);
  offline = { ...loadConfig(env), dataDir: corpus.dataDir, corpusDir: corpus.corpusDir };
  expect((await runIngest(offline, { logger })).failed).toBe(0);
});

afterAll(async () => {
  for (const app of apps) await app.close();
  rmSync(corpus.root, { recursive: true, force: true });
});

describe('asking on the ask thread', () => {
  it('gives the same answer as asking in-process: text, status and citations', async () => {
    const here = await open({ ...offline, askThread: 'off' });
    const threaded = await open({ ...offline, askThread: 'on' });
    expect(threaded.drafterName).toBe(here.drafterName);
    for (const question of QUESTIONS) {
      const [a, b] = [await here.ask(question, 'hikari'), await threaded.ask(question, 'hikari')];
      expect(b.draft).toEqual(a.draft);
      expect(b.ranked.map((h) => h.passage.id)).toEqual(a.ranked.map((h) => h.passage.id));
    }
  });

  it('files the draft in the review queue the bot reads', async () => {
    const threaded = await open({ ...offline, askThread: 'on' });
    const asked = await threaded.ask(QUESTIONS[0] ?? '', 'hikari', { enqueue: { askedBy: 'U_ASKER', channel: 'C1' } });
    expect(asked.review).not.toBeNull();
    const filed = await threaded.reviews.get(asked.review?.id ?? '');
    expect(filed).toMatchObject({ askedBy: 'U_ASKER', channel: 'C1', question: QUESTIONS[0] });
    expect(filed.draft).toEqual(asked.draft);
  });

  it('refuses as in-process: the same error class, code and hint', async () => {
    const threaded = await open({ ...offline, askThread: 'on' });
    const refused = await threaded.ask('Is data encrypted?', 'nope').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InputError);
    expect(refused).toBeInstanceOf(KotaeError);
    expect(refused).toMatchObject({ code: 'input', message: 'unknown product "nope"', hint: 'known products: hikari' });
    await expect(threaded.ask('   ', 'hikari')).rejects.toMatchObject({ name: 'InputError', message: 'the question is empty' });
  });

  it('sees a rebuilt index without a restart', async () => {
    const threaded = await open({ ...offline, askThread: 'on' });
    const before = await threaded.ask(QUESTIONS[2] ?? '', 'hikari');
    expect(before.draft.citations[0]?.text).toContain('30日間');
    const file = join(corpus.corpusDir, 'hikari.txt');
    writeFileSync(file, readFileSync(file, 'utf8').replace('30日間保管', '90日間保管'));
    expect((await runIngest(offline, { logger, rebuild: true })).failed).toBe(0);
    const after = await threaded.ask(QUESTIONS[2] ?? '', 'hikari');
    expect(after.draft.citations[0]?.text).toContain('90日間');
    expect(after.draft.corpusVersion).toBeGreaterThan(before.draft.corpusVersion);
  });
});

describe('the ask thread under a model that takes its time', () => {
  let model: FakeModel;
  let config: Config;

  beforeAll(async () => {
    model = await new FakeModel().start();
    config = {
      ...loadConfig({ ...env, OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: model.url('slow'), KOTAE_DRAFTER: 'openai', OPENAI_MAX_RETRIES: '0' }),
      dataDir: corpus.dataDir,
      corpusDir: corpus.corpusDir,
      askThread: 'on',
    };
  });

  afterAll(async () => {
    await model.stop();
  });

  it('stops waiting at once when the question is cancelled, and keeps answering others', async () => {
    const threaded = await open(config);
    model.draftDelayMs.set('slow', 60_000);
    const controller = new AbortController();
    const asked = threaded.ask(QUESTIONS[1] ?? '', 'hikari', { signal: controller.signal });
    await expect.poll(() => model.drafts('slow').length, { timeout: 20_000 }).toBe(1);
    const started = performance.now();
    controller.abort(new Error('cancelled by the user'));
    await expect(asked).rejects.toThrow('cancelled by the user');
    expect(performance.now() - started).toBeLessThan(1_000);

    model.draftDelayMs.set('slow', 0);
    const next = await threaded.ask(QUESTIONS[0] ?? '', 'hikari');
    expect(next.draft.draft).toContain('slow');
  });

  it('fails the questions a dead thread held with a retryable error, and answers the next one', async () => {
    model.draftDelayMs.set('slow', 60_000);
    const thread = await startAskThread(config, { logger, entry: new URL('./support/crashing-ask-worker.ts', import.meta.url) });
    try {
      const held = thread.ask(QUESTIONS[3] ?? '', 'hikari');
      await expect.poll(() => model.drafts('slow').some((c) => c.question === QUESTIONS[3]), { timeout: 20_000 }).toBe(true);
      // The worker of this test ends its thread when asked about the product `crash`.
      const crashed = thread.ask('Is data encrypted?', 'crash');
      await expect(held).rejects.toBeInstanceOf(AskThreadStoppedError);
      await expect(crashed).rejects.toMatchObject({ code: 'upstream', hint: expect.stringMatching(/ask again/i) });

      model.draftDelayMs.set('slow', 0);
      const next = await thread.ask(QUESTIONS[0] ?? '', 'hikari');
      expect(next.draft.citations.length).toBeGreaterThan(0);
    } finally {
      await thread.close();
    }
  });
});

describe("the bot's Slack thread", () => {
  let model: FakeModel;
  beforeAll(async () => {
    model = await new FakeModel().start();
  });
  afterAll(async () => {
    await model.stop();
  });

  /** What the bot's main thread parsed and read while asking one question (test/support/bot-thread-modules.ts). */
  async function slackThreadLoads(askThread: 'on' | 'off'): Promise<{ citations: number; modules: string[]; lexiconFiles: string[] }> {
    const env = {
      ...process.env,
      KOTAE_LOG_LEVEL: 'silent',
      KOTAE_APPROVERS: 'U_SEC',
      KOTAE_DATA_DIR: corpus.dataDir,
      KOTAE_CORPUS_DIR: corpus.corpusDir,
      KOTAE_DRAFTER: 'openai',
      OPENAI_API_KEY: 'test-key',
      OPENAI_BASE_URL: model.url('modules'),
      KOTAE_ASK_THREAD: askThread,
    };
    const child = spawnTs('test/support/bot-thread-modules.ts', [QUESTIONS[0] ?? '', 'hikari'], env);
    const line = await child.waitFor((l) => l.startsWith('{'));
    const { code, stderr } = await child.exit;
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    return JSON.parse(line ?? '{}') as { citations: number; modules: string[]; lexiconFiles: string[] };
  }

  /** The retrieval engine and the model SDK: what the ask thread exists to keep off the thread that acks. */
  const ENGINE = [/\/src\/retrieve\/retrieve\.ts$/, /\/src\/judge\/judge\.ts$/, /\/src\/ask-local\.ts$/, /\/node_modules\/openai\//];
  const engine = (modules: string[]): string[] => ENGINE.filter((re) => modules.some((m) => re.test(m))).map(String);
  /**
   * Retrieval modules (and wink's WordNet tables) the Slack thread parses: none. The review
   * queue, the review workbook and the export read the draft's markers from draft/markers.ts,
   * which imports no retrieval code; through draft/extractive.ts they used to pull in the
   * lexicon, expansion and matching modules.
   */
  const retrievalModules = (modules: string[]): string[] =>
    [...new Set(modules.flatMap((m) => /\/(src\/retrieve\/[^/]+\.ts)$/.exec(m)?.[1] ?? /\/node_modules\/(wink-[a-z]+)\//.exec(m)?.[1] ?? []))].sort();

  it('never loads the retrieval engine, the judge, the openai package or a lexicon file when asking goes through the ask thread', async () => {
    const threaded = await slackThreadLoads('on');
    expect(threaded.citations).toBeGreaterThan(0);
    expect(engine(threaded.modules)).toEqual([]);
    expect(threaded.lexiconFiles).toEqual([]);
    expect(retrievalModules(threaded.modules)).toEqual([]);
    // The same probe, asking in-process, sees all of them: the empty lists above are not a blind probe.
    const inProcess = await slackThreadLoads('off');
    expect(inProcess.citations).toBe(threaded.citations);
    expect(engine(inProcess.modules)).toEqual(ENGINE.map(String));
    expect(inProcess.lexiconFiles.length).toBeGreaterThan(0);
  }, 120_000);
});
