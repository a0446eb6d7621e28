/**
 * A multi-part question: a row's denial that joins one ask's predicate to another ask's object
 * (the row on encrypting traffic says backup data is not encrypted; the question asks whether
 * traffic is encrypted and how often backups are taken) is about neither ask, and must not make
 * the answer partial. Asked whether backups are encrypted, the same denial is the answer (no);
 * asked both, it narrows it (partial). Real ingest of this test's own made-up sheet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { appOver, tempCorpus } from '../support/corpus.js';

const CHECKSHEET = [
  '# mizuセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 通信</b>\t\t\t',
  '1-1\t通信を暗号化すること。\t○\t通信はTLS1.2で暗号化しております。バックアップデータの暗号化は行っておりません。',
  '<b>2 バックアップ</b>\t\t\t',
  '2-1\tバックアップを取得すること。\t○\tバックアップを毎日取得し、30日間保管しております。',
  '',
].join('\n');

let app: App;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await appOver(tempCorpus('kotae-ask-straddle-', { file: 'mizu.txt', product: 'mizu', vendor: null, title: 'mizuセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET)));
}, 120_000);

afterAll(() => close());

const answer = async (question: string): Promise<[string, string[], string]> => {
  const d = (await app.ask(question, 'mizu')).draft;
  return [question, d.citations.map((c) => c.ref).slice(0, 2), d.status];
};

describe('a denial straddling two asks', () => {
  it('leaves each ask answered by its own row: yes', async () => {
    for (const question of ['Is data in transit encrypted, and how often are backups taken?', '通信は暗号化されていますか。また、バックアップはどのくらいの頻度で取得していますか。']) {
      expect(await answer(question)).toEqual([question, ['1-1', '2-1'], 'yes']);
    }
  });

  it('is the answer when one ask is about it', async () => {
    const [, , status] = await answer('Are backups encrypted?');
    expect(status).toBe('no');
    const [, , both] = await answer('Is data in transit encrypted, and are backups encrypted too?');
    expect(both).toBe('partial');
  });
});
