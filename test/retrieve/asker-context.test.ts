/**
 * The asker's own policy, bound or background before the ask ("Our standard requires …",
 * 「弊社では…しております」) is context, not an ask: no ask of its own to retrieve, cite or give
 * a status line to. Wordings are this test's own.
 */
import { describe, expect, it } from 'vitest';
import { isAskerContext, withoutAskerContext } from '../../src/retrieve/asker-context.js';
import { sentences } from '../../src/sentences.js';
import { splitClauses, splitQuestion } from '../../src/retrieve/subquestions.js';

describe('the asker’s own statement before an ask', () => {
  it('is not an ask of its own in English', () => {
    expect(splitQuestion('Our standard requires session timeouts of 15 minutes or less. What timeout do you apply?')).toEqual([]);
    expect(splitQuestion('We are shortlisting vendors for our expense platform. Are audit logs immutable, and who can read them?')).toEqual([
      'Are audit logs immutable',
      'who can read them',
    ]);
    expect(splitQuestion("I'm reviewing suppliers for our clinic. Do you sign a BAA?")).toEqual([]);
  });

  it('is not an ask of its own in Japanese, plain or in the humble form', () => {
    expect(splitQuestion('弊社では委託先に年2回のアクセス権棚卸しを求めております。貴社の棚卸しの頻度を教えてください。')).toEqual([]);
    expect(splitQuestion('現在、経費精算サービスの比較を検討しております。操作ログは改ざんできないようになっていますか?また、閲覧できる者は限られていますか?')).toEqual([
      '操作ログは改ざんできないようになっていますか',
      '閲覧できる者は限られていますか',
    ]);
  });

  it('leaves a coordination inside the context alone', () => {
    // "HR and finance" is the asker's background, not two things asked.
    expect(splitQuestion('We are moving our HR and finance tools to SaaS. Is data encrypted at rest?')).toEqual([]);
  });

  it('keeps a statement that asks all the same, and a cell that is only statements', () => {
    expect(isAskerContext({ text: 'We would like to know whether backups are tested', end: '.' }, false)).toBe(false);
    expect(isAskerContext({ text: '復旧手順の有無を確認したく存じます', end: '。' }, true)).toBe(false);
    expect(splitClauses('We need to understand how keys are stored. Are the keys rotated yearly?')).toHaveLength(2);
    expect(withoutAskerContext('We encrypt all laptops. We rotate keys yearly.')).toBe('We encrypt all laptops. We rotate keys yearly.');
  });

  it('does not take "the US" or a list marker "(i)" for the asker', () => {
    expect(isAskerContext({ text: 'Data is hosted in the US', end: '.' }, false)).toBe(false);
    expect(isAskerContext({ text: '(i) encryption at rest', end: '' }, false)).toBe(false);
  });

  it('reads sentences without cutting a version or an abbreviation', () => {
    expect(sentences('Is TLS 1.2 required, e.g. for APIs? We use it.').map((s) => s.text)).toEqual(['Is TLS 1.2 required, e.g. for APIs', 'We use it']);
  });
});

describe('a sentence announcing the questions that follow', () => {
  it('is no ask of its own, in either language', () => {
    expect(splitQuestion('hoshiクラウドについて3点お伺いします。(1) データは毎日バックアップしていますか。(2) 通信は暗号化されていますか。')).toEqual(['データは毎日バックアップしていますか', '通信は暗号化されていますか']);
    // One ask left: the question is that ask (splitQuestion gives asks only where there are several).
    expect(withoutAskerContext('ご契約にあたり確認させてください。退職者のアカウントはすぐに削除されますか。')).toBe('退職者のアカウントはすぐに削除されますか。');
    expect(splitQuestion('ご契約にあたり確認させてください。退職者のアカウントはすぐに削除されますか。')).toEqual([]);
    expect(withoutAskerContext('We have a few questions about your hosting. Is customer data stored in Japan?')).toBe('Is customer data stored in Japan?');
  });

  it('stays an ask when it names what it wants to confirm, or asks with a question mark', () => {
    expect(withoutAskerContext('バックアップの保管期間について確認させてください。')).toBe('バックアップの保管期間について確認させてください。');
    expect(splitQuestion('鍵の管理方法について確認させてください。また、鍵は定期的に更新していますか。')).toHaveLength(2);
    expect(isAskerContext({ text: '以下の2点をお伺いしてもよろしいでしょうか', end: '?' }, true)).toBe(false);
  });
});
