/**
 * A question's bracketed gloss says what its author means by the word before it, not more a
 * row's caveat must speak to: "an SLA (uptime commitment with service credits)" is read against
 * a row saying no SLA is defined as "an SLA" is, never a plain yes because the gloss's words
 * dilute the share of the question the caveat mentions. Bracketed examples ("(e.g. Confidential)")
 * rank at half weight: a row about the examples does not outrank the row about the thing asked.
 * Made-up sheet and wordings, this test's own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { compile } from '../../src/retrieve/match.js';
import { expandQuery } from '../../src/retrieve/expand.js';
import { withoutGlosses } from '../../src/retrieve/glosses.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { appOver, tempCorpus } from '../support/corpus.js';

const CHECKSHEET = [
  '# nagiセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 サービス</b>\t\t\t',
  '1-1\tサービスレベルの合意事項を明示すること。\t○\t当社はSLAを規定しておりませんが、サービス開始前の合意は利用規約にて明示しております。',
  '1-2\t通信を暗号化すること。\t○\t通信はすべてTLS1.2以上で暗号化しています。',
  '1-3\tバックアップを取得すること。\t○\t日次でバックアップを取得しています。',
  '1-4\t記録媒体の保管管理を適切に行うこと。\t○\t機密情報を含む記録媒体は施錠して保管し、廃棄の際は復元できないよう処分しています。',
  '1-5\t情報にラベルを付ける機能が提供されていること。\t×\t本サービスでは情報のラベル付けをする機能を提供しておりません。',
  '',
].join('\n');

let app: App;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await appOver(tempCorpus('kotae-glosses-', { file: 'nagi.txt', product: 'nagi', vendor: null, title: 'nagiセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET)));
}, 120_000);
afterAll(() => close());

const answer = async (question: string) => (await app.ask(question, 'nagi')).draft;

describe("a question's bracketed gloss", () => {
  it('leaves the status a caveat gives the word it glosses as it is without the gloss', async () => {
    const plain = await answer('Do you offer a contractual SLA?');
    const glossed = await answer('Do you offer a contractual SLA (an uptime commitment with service credits)?');
    expect(plain.status).not.toBe('yes');
    expect([glossed.citations[0]?.ref, glossed.status]).toEqual([plain.citations[0]?.ref, plain.status]);
  });

  it('ranks the row about the thing asked above one about its bracketed examples', async () => {
    const draft = await answer('Can users attach classification labels (e.g. Confidential / Internal) to their records?');
    expect([draft.citations[0]?.ref, draft.status]).toEqual(['1-5', 'no']);
  });

  it('drops only the ideas the question names inside brackets alone', () => {
    const lexicon = loadLexicon();
    const ideas = (q: string) => withoutGlosses(q, compile(expandQuery(q, lexicon).concepts)).map((c) => c.source.toLowerCase());
    const kept = ideas('Do you offer an SLA (uptime commitment with service credits)?');
    expect(kept).toContain('sla');
    expect(kept).not.toContain('service credits');
    // No brackets, or nothing outside them: every idea counts.
    expect(ideas('Do you offer uptime commitments with service credits?')).toContain('service credits');
    expect(ideas('(service credits)').length).toBeGreaterThan(0);
  });
});
