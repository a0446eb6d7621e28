/**
 * A remark's denial answers a question that says the same thing in plain words: asked whether the
 * records a customer entered end up copied on the vendor's servers, a remark saying the vendor never
 * takes or stores the app's data there is a no (「コピーされますか」 is answered by 「取得/保存は一切
 * 行いません」), and a slash joining two denied verbs denies each. A question about something else on
 * the same servers (logs, encryption) is not answered by that denial. Made-up rows and wordings.
 */
import { describe, expect, it } from 'vitest';
import type { Passage } from '../../src/domain.js';
import { expandQuery } from '../../src/retrieve/expand.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { compile } from '../../src/retrieve/match.js';
import { remarkAsked, remarkDenies } from '../../src/retrieve/remark-denial.js';

const lexicon = loadLexicon();
const effect = (question: string, answer: string, product?: string): string | null => {
  const own = expandQuery(question, lexicon).concepts;
  const row = { answer, requirement: '', status: 'yes', ...(product ? { product } : {}) } as Pick<Passage, 'answer' | 'requirement' | 'status'> as Passage;
  return remarkDenies(remarkAsked(question, compile(own), own, lexicon), row)?.effect ?? null;
};

const REMARK = '設定情報は日次でバックアップしています。詳細はヘルプ(https://example.invalid/help/#data.html)をご覧ください。※tsumikiFormはブラウザ上で動作します。当社サーバー側でアプリデータの取得/保存は一切行いません。';

describe('a denial of holding the customer\'s data, asked in plain words', () => {
  it('answers no to whether the entered records are copied to or kept on the vendor\'s servers', () => {
    expect(effect('tsumikiFormで登録したレコードは、御社のサーバーにもコピーされますか。', REMARK, 'tsumiki')).toBe('no');
    expect(effect('入力したデータがそちらのサーバーに残ったりしませんか？', REMARK, 'tsumiki')).toBe('no');
  });

  it('leaves a question about something else on the servers alone', () => {
    expect(effect('操作ログは御社のサーバーに保存されますか。', REMARK, 'tsumiki')).toBeNull();
    expect(effect('登録したレコードはサーバー上で暗号化されていますか。', REMARK, 'tsumiki')).toBeNull();
  });
});
