/**
 * The row-side and question-side readings the status follows (issue #9, blind trial s16), each on
 * its own: a routine proviso (disasters, a legal request) against a real scope limit; a
 * prohibition; a question asking whether a practice is allowed; a question about the whole and a
 * row's limit to a part, told from a limit on who may act; a question whether a risk is absent.
 */
import { describe, expect, it } from 'vitest';
import { asksPermitted, limitedPart, negatedQuestion, prohibits, routineException, wholeAsked } from '../../src/retrieve/negation.js';

describe('routineException', () => {
  it('reads a proviso for emergencies, disasters or a legal request as routine', () => {
    expect(routineException('※天災など不可抗力の場合はこの限りではありません')).toBe(true);
    expect(routineException('ただし、裁判所の命令による場合を除きます')).toBe(true);
    expect(routineException('except where disclosure is required by law')).toBe(true);
    expect(routineException('Notices may be shorter in an emergency, except for security fixes')).toBe(true);
  });

  it('keeps a limit to a plan, a part or a request, and a denial naming an emergency, as what they are', () => {
    expect(routineException('ただし、ベーシックプランの場合はこの限りではありません')).toBe(false);
    expect(routineException('except on the starter tier')).toBe(false);
    expect(routineException('緊急連絡網は整備しておりません')).toBe(false);
  });
});

describe('prohibits and asksPermitted', () => {
  it('reads a prohibition in either language', () => {
    expect(prohibits('個人所有のPCの社内ネットワーク接続は認めておりません')).toBe(true);
    expect(prohibits('Installing unapproved browser extensions is not permitted.')).toBe(true);
    expect(prohibits('パッチは毎月適用しております')).toBe(false);
  });

  it('finds a question asking whether a practice is allowed or possible, not whether it is prohibited', () => {
    expect(asksPermitted('Can contractors bring their own laptops onto the office network?')).toBe(true);
    expect(asksPermitted('Are unapproved browser extensions allowed?')).toBe(true);
    expect(asksPermitted('派遣社員は個人のPCを社内で使えますか')).toBe(true);
    expect(asksPermitted('クラウドストレージへの持ち出しは認められていますか?')).toBe(true);
    expect(asksPermitted('Do you prohibit unapproved browser extensions?')).toBe(false);
    expect(asksPermitted('個人所有のPCの接続を禁止していますか')).toBe(false);
    expect(asksPermitted('How can we request an audit report?')).toBe(false);
    // Plain Japanese asks leave (「…ても大丈夫ですか」); the same words about a state ask nothing of the kind.
    expect(asksPermitted('私物のスマホで業務メールを見ても大丈夫ですか?')).toBe(true);
    expect(asksPermitted('USBメモリにデータを保存しても問題ありませんか')).toBe(true);
    expect(asksPermitted('停電のときもデータは大丈夫ですか?')).toBe(false);
    expect(asksPermitted('アクセス権限の設定に問題はありませんか')).toBe(false);
  });
});

describe('wholeAsked and limitedPart', () => {
  it('finds a question about the whole', () => {
    expect(wholeAsked('Is disk encryption enforced on every laptop?')).toBe('every');
    expect(wholeAsked('全社員にセキュリティ研修を実施していますか')).toBe('全社員');
    expect(wholeAsked('Is disk encryption enforced on laptops?')).toBeNull();
  });

  it('finds the part a row limits the control to, not who may act', () => {
    expect(limitedPart('本番サーバーのみ侵入検知を導入しています')).toBe('本番サーバー');
    expect(limitedPart('Disk encryption is enforced only on engineering laptops.')).toBe('engineering laptops');
    expect(limitedPart('鍵の管理は情報システム部の担当者のみが行います')).toBeNull();
    expect(limitedPart('Only on-call engineers can reach the production console.')).toBeNull();
    expect(limitedPart('Production access is granted only to the SRE team.')).toBeNull();
  });
});

describe('a question whether a risk is absent', () => {
  it('is not a negated question: はい and a row stating the control read the same way', () => {
    expect(negatedQuestion('退職者のアカウントが悪用されるおそれはありませんか')).toBe(false);
    expect(negatedQuestion('バックアップが失われる心配はありませんか?')).toBe(false);
    expect(negatedQuestion('退職者のアカウントは削除されませんか')).toBe(true);
  });
});
