/**
 * Query rewriting end to end: real ingest into real LanceDB, the app's ask path, and an
 * OpenAI-compatible chat endpoint (nock) that plays both the rewriter and the drafter.
 *
 * The question uses a made-up word ("plimbors") that neither the glossary nor the sheet knows,
 * standing for any paraphrase that shares no word with the row that answers it. Offline,
 * nothing connects the two; the model's rewrite (委託先の選定, 再委託: what "vet" and "plimbors" mean in the
 * sheet's words) does. Offline, no call is made.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { createApp, runIngest, type App } from '../../src/app.js';
import { createOpenAIClient } from '../../src/embed/openai.js';
import { createLogger } from '../../src/log.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { retrieve } from '../../src/judge/retrieval.js';
import { createOpenAIRewriter, REWRITE_FORMAT_NAME } from '../../src/draft/rewriter.js';
import { RESPONSE_FORMAT_NAME } from '../../src/draft/openai.js';
import { tempCorpus } from '../support/corpus.js';

const LLM = 'http://llm.test';
const POLICY = [
  '# 外部委託',
  '',
  '業務を外部に委託する際は、委託先の選定基準を定め、再委託には当社の書面による承認を必要としております。',
  '',
  '# 委託先との契約',
  '',
  '委託先とは秘密保持契約を締結しております。',
  '',
  '# 通信の暗号化',
  '',
  '通信はTLS1.2以上で暗号化しております。',
  '',
  '# バックアップ',
  '',
  '毎日バックアップを取得し、30日間保持しております。',
  '',
  '# 入退室管理',
  '',
  'オフィスへの入退室はICカードで管理し、記録を1年間保管しております。',
  '',
  '# ログ監視',
  '',
  'サーバーのアクセスログを収集し、不審な操作を監視しております。',
  '',
].join('\n');
const OUTSOURCING = 'acme/policy.md#L1';
const ENTRY = 'acme/policy.md#L17';
const QUESTION = 'Do you vet your plimbors?';

interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  response_format: { json_schema: { name: string } };
}

function completion(body: object) {
  return {
    id: 'chatcmpl-e2e',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'test-model',
    choices: [{ index: 0, message: { role: 'assistant', refusal: null, content: JSON.stringify(body) }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  };
}

/** Every chat request the fake endpoint received, by kind. */
let rewrites: ChatRequest[] = [];
let drafts: ChatRequest[] = [];
/** What the fake rewriter answers (a status code for a failing one). */
let rewriteReply: number | { terms: string[]; sub_questions: string[] } = { terms: ['委託先の選定', '再委託'], sub_questions: [] };
let unmatched = 0;
const onNoMatch = (): void => {
  unmatched += 1;
};

function fakeModel(): void {
  nock(LLM)
    .persist()
    .post('/v1/chat/completions')
    .reply((_uri, b) => {
      const request = b as ChatRequest;
      if (request.response_format.json_schema.name === REWRITE_FORMAT_NAME) {
        rewrites.push(request);
        return typeof rewriteReply === 'number' ? [rewriteReply, { error: { message: 'unavailable' } }] : [200, completion(rewriteReply)];
      }
      expect(request.response_format.json_schema.name).toBe(RESPONSE_FORMAT_NAME);
      drafts.push(request);
      // The fake drafter answers from whichever row it was shown that is about outsourcing.
      const user = request.messages[1]?.content ?? '';
      const shown = /<evidence id="(E\d+)"[^>]*>\n(?:section: [^\n]*\n)?requirement: 外部委託/.exec(user)?.[1];
      return [
        200,
        completion(
          shown
            ? { answer: 'We select contractors by set criteria and approve any further subcontracting in writing.', status: 'yes', citations: [shown], confidence: 0.9, needs_human: false, reason: null }
            : { answer: 'Our published documents do not cover this; a reviewer will confirm.', status: 'unknown', citations: [], confidence: 0.1, needs_human: true, reason: null },
        ),
      ];
    });
}

let dir: string;
let offline: Config;
let withModel: Config;
const logger = createLogger('silent');

beforeAll(async () => {
  const made = tempCorpus('kotae-rewrite-', { file: 'policy.md', product: 'acme', vendor: 'Example K.K.', title: '情報セキュリティ対策', format: 'markdown', language: 'ja' }, POLICY);
  dir = made.root;
  const corpus = made.corpusDir;
  const paths = { dataDir: join(dir, 'data'), corpusDir: corpus };
  offline = { ...loadConfig({ KOTAE_LOG_LEVEL: 'silent' }), ...paths };
  withModel = { ...loadConfig({ OPENAI_BASE_URL: `${LLM}/v1`, OPENAI_MODEL: 'test-model', OPENAI_MAX_RETRIES: '0', KOTAE_DRAFTER: 'openai', KOTAE_LOG_LEVEL: 'silent' }), ...paths };
  const report = await runIngest(offline, { logger });
  expect(report.failed).toBe(0);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  rewrites = [];
  drafts = [];
  rewriteReply = { terms: ['委託先の選定', '再委託'], sub_questions: [] };
  unmatched = 0;
  nock.disableNetConnect();
  nock.emitter.on('no match', onNoMatch);
});
afterEach(() => {
  nock.emitter.removeListener('no match', onNoMatch);
  nock.cleanAll();
  nock.enableNetConnect();
});

async function withApp<T>(config: Config, run: (app: App) => Promise<T>): Promise<T> {
  const app = await createApp(config, { logger });
  try {
    return await run(app);
  } finally {
    await app.close();
  }
}

describe('query rewrite in retrieval', () => {
  it('offline: no call, and nothing connects the made-up word to the outsourcing row', async () => {
    fakeModel(); // listening, in case anything offline tried to call it
    await withApp(offline, async (app) => {
      const { draft, ranked } = await app.ask(QUESTION, 'acme');
      expect(unmatched).toBe(0);
      expect(rewrites).toHaveLength(0);
      expect(drafts).toHaveLength(0);
      expect(draft.drafter).toBe('extractive');
      expect(draft.citations.map((c) => c.id)).not.toContain(OUTSOURCING);
      expect(ranked[0]?.passage.id).not.toBe(OUTSOURCING);
    });
  });

  it('the rewrite\'s Japanese terms bring the row that answers to the top', async () => {
    await withApp(offline, async (app) => {
      const rewriter = createOpenAIRewriter(withModel, { client: createOpenAIClient(withModel.openai, logger), logger });
      fakeModel();
      const deps = { store: app.store, embedder: app.embedder, lexicon: loadLexicon() };
      const plain = await retrieve(deps, QUESTION, 'acme');
      const rewritten = await retrieve({ ...deps, rewriter }, QUESTION, 'acme');
      expect(rewrites).toHaveLength(1);
      expect(plain.ranked[0]?.passage.id).not.toBe(OUTSOURCING);
      expect(rewritten.ranked[0]?.passage.id).toBe(OUTSOURCING);
      expect(rewritten.candidates?.[0]?.passage.id).toBe(OUTSOURCING);
    });
  });

  it('the rewrite\'s sub-questions stand in for asks the question\'s own wording does not separate: each gets its row', async () => {
    await withApp(offline, async (app) => {
      const rewriter = createOpenAIRewriter(withModel, { client: createOpenAIClient(withModel.openai, logger), logger });
      const terms = ['委託先', '再委託', '入退室'];
      const deps = { store: app.store, embedder: app.embedder, lexicon: loadLexicon(), rewriter };
      fakeModel();
      rewriteReply = { terms, sub_questions: [] };
      const whole = await retrieve(deps, 'Do you check plimbors and florbs?', 'acme');
      rewriteReply = { terms, sub_questions: ['委託先を選定していますか。', '入退室を管理していますか。'] };
      const split = await retrieve(deps, 'Do you check florbs and plimbors?', 'acme');
      expect(rewrites).toHaveLength(2);
      // As one ask, the row about the other contracts outranks the one about choosing contractors
      // (which may trail far behind, on a share the fitted weights decide)...
      expect(whole.hits.slice(0, 2).map((h) => h.passage.id)).not.toContain(OUTSOURCING);
      // ...as two asks, each cites its own row, ahead of any other row that clears the
      // citation threshold among one ask's rows (the contractors' contract row, for the first).
      expect(split.hits.slice(0, 2).map((h) => h.passage.id).sort()).toEqual([OUTSOURCING, ENTRY].sort());
    });
  });
});

describe('with a model configured, through the app', () => {
  it('rewrites once per distinct question, shows the candidates to the drafter, and answers from the row found', async () => {
    fakeModel();
    await withApp(withModel, async (app) => {
      const first = await app.ask(QUESTION, 'acme');
      expect(rewrites).toHaveLength(1);
      expect(rewrites[0]?.messages[0]?.content).toContain(`<question>\n${QUESTION}\n</question>`);
      expect(drafts).toHaveLength(1);
      expect(first.draft.drafter).toBe('openai');
      expect(first.draft.citations.map((c) => c.id)).toEqual([OUTSOURCING]);

      const again = await app.ask(`  ${QUESTION.toUpperCase()}`, 'acme');
      expect(rewrites).toHaveLength(1); // the rewrite came from the cache
      expect(again.draft.citations.map((c) => c.id)).toEqual([OUTSOURCING]);
    });
    // A new process (same data directory) still has it cached.
    await withApp(withModel, async (app) => {
      await app.ask(QUESTION, 'acme');
      expect(rewrites).toHaveLength(1);
    });
  });

  it('a failing rewrite never fails the question: it is retrieved as offline and still drafted', async () => {
    rewriteReply = 503;
    fakeModel();
    await withApp(withModel, async (app) => {
      const { draft } = await app.ask('Is the office entrance controlled with cards?', 'acme');
      expect(rewrites).toHaveLength(1);
      expect(drafts).toHaveLength(1);
      expect(draft.drafter).toBe('openai');
      expect(draft.question).toBe('Is the office entrance controlled with cards?');
    });
  });
});
