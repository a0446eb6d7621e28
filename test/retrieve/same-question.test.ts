/**
 * The answer library's reuse rule: an approval is served only for a question that asks the
 * same thing. A question that shares every topic word but lacks (or reverses) the approval's
 * distinguishing idea (a person's mistake against a system failure, before against after, the
 * customer's staff against the vendor's) is another question, in either language; a paraphrase
 * of the same question still is the same.
 */
import { describe, expect, it } from 'vitest';
import type { Passage } from '../../src/domain.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { readForReuse, sameQuestion } from '../../src/retrieve/same-question.js';

const lexicon = loadLexicon();
const approvalOf = (question: string): Passage => ({
  id: 'review#1', product: 'demo', kind: 'approved', source: 'review', title: '', locator: 'review #1', line: null, page: null,
  sectionPath: [], ref: '1', requirement: question, answer: 'Approved text.', status: 'yes',
});
const same = (approved: string, asked: string): number => sameQuestion(readForReuse(asked, lexicon), approvalOf(approved), lexicon);

describe('which approvals a question may reuse', () => {
  it('does not reuse an approval about a mistake for a question about a failure, or the reverse', () => {
    expect(same('Can files a user removed by accident be recovered from backup?', 'Can files be recovered from backup after a disk failure?')).toBe(0);
    expect(same('Can files be recovered from backup after a disk failure?', 'Can files a user removed by accident be recovered from backup?')).toBe(0);
    expect(same('お客様が誤って削除したファイルをバックアップから戻せますか', 'サーバー障害時にバックアップからファイルを戻せますか')).toBe(0);
  });

  it('does not reuse an approval for a question that drops its qualifier', () => {
    expect(same('Can files a user removed by accident be recovered from backup?', 'Can files be recovered from backup?')).toBe(0);
    expect(same('誤って削除したメールを復旧できますか', 'メールを復旧できますか')).toBe(0);
  });

  it('tells before from after', () => {
    expect(same('Are access rights removed after an employee leaves?', 'Are access rights removed before an employee leaves?')).toBe(0);
    expect(same('退職後にアカウントを削除していますか', '退職前にアカウントを削除していますか')).toBe(0);
  });

  it('tells the customer’s side from the vendor’s staff', () => {
    expect(same('Do customers receive security awareness training?', 'Do employees receive security awareness training?')).toBe(0);
    expect(same('お客様向けにセキュリティ教育を実施していますか', '従業員向けにセキュリティ教育を実施していますか')).toBe(0);
  });

  it('does not reuse an answer about the control for a question widening it to everyone or every time', () => {
    expect(same('Is MFA required?', 'Is MFA required for all users?')).toBe(0);
    expect(same('Do you encrypt customer data at rest?', 'Is all customer data encrypted at rest?')).toBe(0);
    expect(same('管理者に多要素認証を必須としていますか', '全てのユーザーに多要素認証を必須としていますか')).toBe(0);
  });

  it('does not take a broad variant two ideas share (停止 for deletion and for an outage) as one idea', () => {
    expect(same('ファイルを削除したときにバックアップから戻せますか', 'ファイルが障害で失われたときにバックアップから戻せますか')).toBe(0);
  });

  it('still reuses an approval for the same question in other words, or asked again word for word', () => {
    expect(same('Are access rights removed after an employee leaves?', 'After an employee leaves, are their access rights removed?')).toBeGreaterThanOrEqual(0.8);
    expect(same('Can files a user removed by accident be recovered from backup?', 'Can files a user removed by accident be recovered from backup?')).toBe(1);
    expect(same('誤って削除したメールを復旧できますか', '誤って削除したメールを復旧できますか')).toBe(1);
    expect(same('How many generations of backups do you keep?', 'バックアップは何世代保管していますか')).toBeGreaterThanOrEqual(0.8);
  });
});
