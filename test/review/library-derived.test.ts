/**
 * Answers derived from the answer library, end to end on this test's own checksheet:
 * - asking an approval's question again is answered as approved, by the person who approved it
 *   (said so), not queued for a second approval of the same words;
 * - a reused approval cites the approval and only the rows it rested on, so rows that merely
 *   share words never reach the customer's file or evidence register under the approver's name;
 * - retiring an approval retires the copies made from it and withdraws drafts reusing it; an
 *   answer a person rewrote from a reuse is named as still served, and retired on request.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { createApp, runIngest, type App } from '../../src/app.js';
import { bulkHooks, exportApprovedQuestionnaire } from '../../src/bulk.js';
import { runLibrary } from '../../src/cli/library.js';
import { createLogger } from '../../src/log.js';
import { answerQuestionnaireFile } from '../../src/questionnaire/answer-file.js';
import { limitsFromConfig } from '../../src/spreadsheet/safety.js';
import { tempCorpus } from '../support/corpus.js';

const CHECKSHEET = [
  '# hinodeセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 データ</b>\t\t\t',
  '1-1\t契約終了後のお客様データの取扱いを明示すること。\t○\tご契約終了の翌日から60日後に、お客様データを消去します。',
  '1-2\tお客様データを含む書類を机上に放置しないこと。\t○\tお客様データを含む書類は施錠したキャビネットに保管しています。',
  '1-3\tお客様データの取扱いを委託先との契約で定めること。\t○\t委託先とはお客様データの取扱いを定めた契約を締結しています。',
  '1-4\t通信経路を暗号化すること。\t○\t通信はTLS1.2以上で暗号化しています。',
  '',
].join('\n');

describe('answers derived from an approval', () => {
  let root: string;
  let config: Config;
  let app: App;
  const logger = createLogger('silent');

  const ask = (question: string) => app.ask(question, 'hinode', { enqueue: { askedBy: 'U_SALES' } });
  const approveEdited = async (question: string, text: string): Promise<string> => {
    const id = (await ask(question)).review?.id ?? '';
    await app.reviews.approve(id, { as: 'U_SEC', text, status: 'yes' });
    return id;
  };

  beforeAll(async () => {
    // A title with a comma, as real ones have: what an approval rests on is never a list of names split on commas.
    const made = tempCorpus('kotae-derived-', { file: 'hinode.txt', product: 'hinode', vendor: 'ひので株式会社', title: 'hinode Security, Privacy チェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET);
    root = made.root;
    config = { ...loadConfig({ KOTAE_LOG_LEVEL: 'silent', KOTAE_APPROVERS: 'U_SEC,U_SEC2' }), dataDir: made.dataDir, corpusDir: made.corpusDir };
    expect((await runIngest(config, { logger })).failed).toBe(0);
    app = await createApp(config, { logger });
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('answers an approval’s question again as approved by its approver, citing only the approval it rewrote', async () => {
    const question = 'When is customer data erased after the contract is terminated?';
    const text = 'Customer data is erased 60 days after the contract ends.';
    const id = await approveEdited(question, text);
    const again = await ask(question);
    expect(again.draft.draft).toBe(text);
    expect(again.draft.needsHuman).toBe(false);
    expect(again.draft.reason).toContain(`approval #${id}`);
    expect(again.draft.reason).toContain('U_SEC');
    expect(again.review).toMatchObject({ state: 'approved', approvedBy: 'U_SEC', derivedFrom: id });
    // The person replaced the draft's text: the rows that share its words are not its evidence.
    expect(again.draft.citations.map((c) => c.id)).toEqual([`review#${id}`]);
  });

  it('cites, with an approval kept as drafted, the rows that approval itself cited and no others', async () => {
    const first = await ask('通信経路は暗号化されていますか');
    const id = first.review?.id ?? '';
    const approved = await app.reviews.approve(id, { as: 'U_SEC' });
    expect(approved.review.citations.length).toBeGreaterThan(0);
    const again = await app.ask('通信経路は暗号化されていますか', 'hinode');
    expect(again.draft.citations.map((c) => c.id).sort()).toEqual([`review#${id}`, ...approved.review.citations.map((c) => c.id)].sort());
  });

  it('fills the customer’s file and evidence register from the approval, with no unrelated row', async () => {
    const question = 'How long after the contract ends is customer data kept?';
    const text = 'Customer data is kept for 60 days after the contract ends, then erased.';
    await approveEdited(question, text);
    const bytes = new TextEncoder().encode(`Question,Answer,Comment\n"${question}",,\n`);
    const hooks = bulkHooks(app, bytes, 'hinode', { askedBy: 'U_SALES' });
    await answerQuestionnaireFile({ bytes, fileName: 'q.csv' }, { product: 'hinode', ...hooks, concurrency: 1, limits: limitsFromConfig(config), db: app.db, fresh: false });
    const exported = await exportApprovedQuestionnaire(app, { bytes, fileName: 'q.csv' }, { product: 'hinode', jobId: hooks.jobId, limits: limitsFromConfig(config), evidenceSheet: true });
    expect(exported.unanswered).toEqual([]);
    const file = Buffer.from(exported.result.bytes).toString('utf8');
    expect(file).toContain(text);
    const evidence = exported.evidence?.kind === 'file' ? exported.evidence.bytes.toString('utf8') : '';
    expect(evidence).toContain('U_SEC');
    for (const unrelated of ['1-2', '1-3', 'キャビネット', '委託先']) {
      expect(file).not.toContain(unrelated);
      expect(evidence).not.toContain(unrelated);
    }
  });

  it('retires the copies made from a retired approval and withdraws drafts reusing it, and says which rewritten ones are still served', async () => {
    const question = 'Is customer data erased once the contract is terminated?';
    const id = await approveEdited(question, 'Yes. Customer data is erased 60 days after the contract ends.');
    const copy = (await ask(question)).review;
    expect(copy?.state).toBe('approved');
    const out: string[] = [];
    const run = (...argv: string[]) => runLibrary(argv, { reviews: async () => app.reviews, out: (s) => out.push(s), err: (s) => out.push(s) });
    // Two reuses a person was asked to look at: one they rewrite in their own words, one still waiting.
    const fresh = await app.reviews.enqueue({ ...(await app.ask(question, 'hinode')).draft, needsHuman: true }, { askedBy: 'U_SALES' });
    expect(fresh.state).toBe('needs_human');
    const waiting = await app.reviews.enqueue({ ...(await app.ask(question, 'hinode')).draft, needsHuman: true }, { askedBy: 'U_SALES' });
    await app.reviews.approve(fresh.id, { as: 'U_SEC2', text: 'Yes: erased within 60 days of termination.', status: 'yes' });

    expect(await run('retire', id, '--as', 'U_SEC', '--reason', 'retention policy changed')).toBe(0);
    const said = out.join('');
    expect(said).toContain(`#${id} retired`);
    expect(said).toMatch(new RegExp(`also retired \\(answers copied from it\\): .*#${copy?.id ?? 'none'}`));
    expect(said).toMatch(new RegExp(`withdrawn .*#${waiting.id}`));
    expect(said).toMatch(new RegExp(`still served .*#${fresh.id}.*--with-derived`));
    expect((await app.reviews.get(copy?.id ?? '')).state).toBe('withdrawn');
    expect((await app.reviews.get(waiting.id)).state).toBe('withdrawn');
    expect((await app.reviews.get(fresh.id)).state).toBe('edited');
    // Neither the approval nor its copy answers the question any more.
    const after = await app.ask(question, 'hinode');
    expect(after.draft.citations.map((c) => c.id)).not.toContain(`review#${id}`);
    expect(after.draft.citations.map((c) => c.id)).not.toContain(`review#${copy?.id ?? ''}`);

    // Asked for, the rewritten one goes too (it is retired with its source's reason).
    const again = await approveEdited('Is customer data deleted when the contract is terminated?', 'Yes, 60 days after.');
    const reuse = await app.reviews.enqueue({ ...(await app.ask('Is customer data deleted when the contract is terminated?', 'hinode')).draft, needsHuman: true }, { askedBy: 'U_SALES' });
    await app.reviews.approve(reuse.id, { as: 'U_SEC2', text: 'Yes, within 60 days.', status: 'yes' });
    expect(await run('retire', again, '--as', 'U_SEC', '--reason', 'policy changed', '--with-derived')).toBe(0);
    expect((await app.reviews.get(reuse.id)).state).toBe('withdrawn');
  });
});
