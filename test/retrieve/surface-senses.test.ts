/**
 * A glossary line's variant must not be a surface word with another sense: bare ロック is an
 * account lockout or the inside of クロック, bare キー a card key or a keyboard, bare コード a
 * browser's mobile code or a レコード. And a named mechanism for keeping keys (a hardware module,
 * a managed key service) is its own idea, not the broad one of keys being managed: a sheet saying
 * keys are managed does not say they sit in one. Fixture text is this test's own.
 */
import { describe, expect, it } from 'vitest';
import { expandQuery } from '../../src/retrieve/expand.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { compile, mentions, textKey } from '../../src/retrieve/match.js';

const lexicon = loadLexicon();
/** Whether the row mentions every idea of the question that weighs as a main idea. */
const mainIdeasMentioned = (question: string, row: string): boolean =>
  compile(expandQuery(question, lexicon).concepts)
    .filter((c) => c.weight >= 1)
    .every((c) => mentions(c, textKey(row)));

describe('surface words with another sense', () => {
  it('does not take an account lockout or a clock for a screen lock', () => {
    expect(mainIdeasMentioned('Do workstations use a screen lock?', '端末はパスワード5回の誤りでアカウントロックします。')).toBe(false);
    expect(mainIdeasMentioned('Do workstations use a screen lock?', '端末のクロックはNTPで同期しています。')).toBe(false);
    expect(mainIdeasMentioned('Do workstations use a screen lock?', '端末は10分操作がない場合に画面をロックします。')).toBe(true);
  });

  it('does not take a card key or a keyboard for an encryption key', () => {
    expect(mainIdeasMentioned('How are encryption keys rotated?', '退職時にはカードキーとキーボードを回収します。')).toBe(false);
    expect(mainIdeasMentioned('How are encryption keys rotated?', '暗号鍵は年1回更新しております。')).toBe(true);
  });

  it('does not take mobile code or a record for source code', () => {
    expect(mainIdeasMentioned('Who can access the source code?', '許可されたモバイルコードのみ実行できます。')).toBe(false);
    expect(mainIdeasMentioned('Who can access the source code?', 'レコード単位でアクセス権を設定できます。')).toBe(false);
    expect(mainIdeasMentioned('Who can access the source code?', 'ソースコードへのアクセスは開発者に限定しています。')).toBe(true);
  });
});

describe('a named mechanism for keeping keys', () => {
  it('is not mentioned by a row saying only that keys are managed', () => {
    expect(mainIdeasMentioned('Are keys held in a hardware security module?', '暗号鍵は当社の鍵管理手順に従って管理しています。')).toBe(false);
    expect(mainIdeasMentioned('Are keys held in a hardware security module?', '暗号鍵はクラウドのHSMに保管しています。')).toBe(true);
    expect(mainIdeasMentioned('鍵はKMSで管理していますか?', '暗号鍵は社内手順に従って管理しています。')).toBe(false);
  });
});
