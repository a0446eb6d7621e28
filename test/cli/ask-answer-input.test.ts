/**
 * How `kotae ask`, `kotae ask --file` and `kotae answer` treat what a person types: a product
 * named in another case ("Kumori") is that product on every command (product keys are
 * lowercase), a question file naming a product kotae does not know is refused before any
 * line is asked, a failed line sets the exit code its error has in the one table (README
 * "Exit codes"), and a refusal for a missing asker names only what works for that command.
 * Run as the user runs them (main, in this process) on a small ingested corpus.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { TempCorpus } from '../support/corpus.js';
import { ingestedCorpus, type IngestedCorpus } from './fixtures/kotae-env.js';

/** A made-up product's checksheet, in the tab-separated form the corpus parser reads. */
const CHECKSHEET = [
  '# kumori運用チェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '2-1\t夜間バックアップを取得すること。\t○\tバックアップは毎晩別リージョンへ複製しています。',
  '2-2\t退職者のアカウントを削除すること。\t○\t退職日当日にアカウントを無効化しています。',
  '',
].join('\n');

let made: TempCorpus;
let kotae: IngestedCorpus['kotae'];
let file: IngestedCorpus['file'];

beforeAll(async () => {
  ({ made, kotae, file } = await ingestedCorpus('kotae-input-', { file: 'kumori.txt', product: 'kumori', vendor: null, title: 'kumori運用チェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET));
}, 120_000);

afterAll(() => rmSync(made.root, { recursive: true, force: true }));

const Drafted = z.object({ id: z.string().optional(), product: z.string(), reviewId: z.string().nullable() });
const LineError = z.object({ id: z.string(), error: z.object({ code: z.string(), exit: z.number(), message: z.string() }) });

describe('a product named in another case is that product, on every command', () => {
  it('kotae ask --product KUMORI answers from kumori', async () => {
    const res = await kotae(['ask', 'バックアップは取得していますか?', '--product', 'KUMORI', '--json', '--no-enqueue']);
    expect(res.code, res.err).toBe(0);
    expect(Drafted.parse(JSON.parse(res.out)).product).toBe('kumori');
  });

  it('a question file line with product "Kumori" is asked about kumori', async () => {
    const jsonl = file('cased.jsonl', '{"id":"q1","product":"Kumori","question":"バックアップは取得していますか?"}\n');
    const res = await kotae(['ask', '--file', jsonl, '--json', '--no-enqueue']);
    expect(res.code, res.err).toBe(0);
    expect(Drafted.parse(JSON.parse(res.out))).toMatchObject({ id: 'q1', product: 'kumori' });
  });

  it('kotae answer --product Kumori fills the file from kumori, and review list --product KUMORI finds its drafts', async () => {
    const csv = file('cased.csv', 'No,質問,回答\r\n1,退職者のアカウントは削除していますか?,\r\n');
    const res = await kotae(['answer', csv, '--product', 'Kumori', '--json']);
    expect(res.code, res.err).toBe(0);
    const answered = z.object({ product: z.string(), jobId: z.string() }).parse(JSON.parse(res.out));
    expect(answered.product).toBe('kumori');
    const listed = await kotae(['review', 'list', '--product', 'KUMORI', '--job', answered.jobId, '--json']);
    expect(listed.code, listed.err).toBe(0);
    expect(z.object({ total: z.number() }).parse(JSON.parse(listed.out)).total).toBe(1);
  });

  it('a product kotae does not know is refused with the known ones, the same on ask and answer', async () => {
    const ask = await kotae(['ask', 'バックアップは?', '--product', 'Kumo', '--no-enqueue']);
    const answer = await kotae(['answer', file('unknown.csv', 'No,質問,回答\r\n1,バックアップは?,\r\n'), '--product', 'Kumo']);
    for (const res of [ask, answer]) {
      expect(res.code).toBe(2);
      expect(res.err).toMatch(/^error: unknown product "kumo"\n {2}known products: kumori$/m);
    }
  });
});

describe('kotae ask --file checks every line before asking any', () => {
  it('a line naming an unknown product is refused up front with its line number: exit 2, nothing asked', async () => {
    const jsonl = file('unknown.jsonl', ['{"id":"a","product":"kumori","question":"バックアップは取得していますか?"}', '{"id":"b","product":"nope","question":"アカウントは削除していますか?"}', ''].join('\n'));
    const before = await kotae(['review', 'list', '--product', 'kumori', '--json']);
    const res = await kotae(['ask', '--file', jsonl, '--json']);
    expect(res.code).toBe(2);
    expect(res.err).toBe(`error: ${jsonl}:2: unknown product "nope"\n  Each line is one JSON object {"id", "product", "question"}; known products: kumori. Nothing was asked.`);
    expect(JSON.parse(res.out)).toEqual({ error: { code: 'usage', exit: 2, message: `${jsonl}:2: unknown product "nope"`, hint: 'Each line is one JSON object {"id", "product", "question"}; known products: kumori. Nothing was asked.' } });
    // Line 1 was not asked either: the queue holds no new draft.
    expect((await kotae(['review', 'list', '--product', 'kumori', '--json'])).out).toBe(before.out);
  });

  it('a line that fails when asked sets the exit code its error has in the table (an empty question: 2), as its own line says', async () => {
    const jsonl = file('blank.jsonl', ['{"id":"ok","product":"kumori","question":"バックアップは取得していますか?"}', '{"id":"blank","product":"kumori","question":"   "}', ''].join('\n'));
    const res = await kotae(['ask', '--file', jsonl, '--json', '--no-enqueue']);
    const [first, second] = res.out.split('\n').map((line) => JSON.parse(line) as unknown);
    expect(Drafted.parse(first).id).toBe('ok');
    expect(LineError.parse(second).error).toMatchObject({ code: 'usage', exit: 2, message: 'the question is empty' });
    expect(res.code).toBe(2);
  });
});

describe('with nobody to record as the asker', () => {
  const nobody = { KOTAE_CLI_USER: '', USER: '' };

  it('kotae answer says to set KOTAE_CLI_USER and names no option it does not have', async () => {
    const res = await kotae(['answer', file('nobody.csv', 'No,質問,回答\r\n1,バックアップは?,\r\n'), '--product', 'kumori'], nobody);
    expect(res.code).toBe(2);
    expect(res.err).toContain('Set KOTAE_CLI_USER to your Slack user id');
    expect(res.err).not.toContain('--as');
  });

  it('kotae ask also offers its --as USER', async () => {
    const res = await kotae(['ask', 'バックアップは?', '--product', 'kumori'], nobody);
    expect(res.code).toBe(2);
    expect(res.err).toContain('Set KOTAE_CLI_USER to your Slack user id (in .env or the environment), or pass --as USER;');
  });

  it('an unknown option is reported as such before anyone is asked for', async () => {
    const res = await kotae(['answer', file('bogus.csv', 'No,質問,回答\r\n1,バックアップは?,\r\n'), '--product', 'kumori', '--bogus'], nobody);
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/^error: Unknown option '--bogus'/);
    expect(res.err).not.toContain('who is asking');
  });
});
