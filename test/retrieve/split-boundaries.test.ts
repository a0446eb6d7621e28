/**
 * Where a question is cut into asks, and where it is not: each ask must read as something asked,
 * never as half a phrase ("…の有効期限さ", "recovery point time objectives") or a fragment that only
 * says when ("…のあと"). Wordings are this test's own.
 */
import { describe, expect, it } from 'vitest';
import { splitQuestion } from '../../src/retrieve/subquestions.js';

describe('cutting a Japanese question', () => {
  it('does not cut after a time phrase ending in と, nor at the か of an embedded question', () => {
    expect(splitQuestion('定期点検のあと、報告書は共有されますか?')).toEqual([]);
    expect(splitQuestion('どの程度の頻度で鍵を更新するか、規程で定めていますか?')).toEqual([]);
    expect(splitQuestion('鍵は定期的に更新していますか、更新記録は残していますか?')).toHaveLength(2);
  });

  it('does not leave a conjunction at the start of an ask', () => {
    expect(splitQuestion('鍵は定期的に更新していますか?あわせて鍵の保管方法も教えてください。')).toEqual(['鍵は定期的に更新していますか', '鍵の保管方法も教えてください']);
  });

  it('keeps a coordinated word whole, through ・ and up to its particle', () => {
    expect(splitQuestion('端末の紛失や盗難への備えはありますか?')).toEqual(['端末の紛失への備えはありますか?', '端末の盗難への備えはありますか?']);
    expect(splitQuestion('従業員の端末と倉庫・事務所で、それぞれどんな対策をしていますか?')).toEqual([
      '従業員の端末で、それぞれどんな対策をしていますか?',
      '従業員の倉庫・事務所で、それぞれどんな対策をしていますか?',
    ]);
    expect(splitQuestion('通信の暗号化や堅牢さを確認していますか?')).toEqual([]);
  });
});

describe('cutting an English question', () => {
  it('cuts before a question word that a preposition opens', () => {
    expect(splitQuestion('Are firewall rules reviewed, and within how many days are stale rules removed?')).toEqual([
      'Are firewall rules reviewed',
      'within how many days are stale rules removed',
    ]);
  });

  it('does not cut at a question mark inside brackets', () => {
    expect(splitQuestion('Which hashing scheme (bcrypt?) stores user passwords?')).toEqual([]);
  });

  it('asks two doings, a longer list or two compounds sharing a word as one ask, not as nonsense halves', () => {
    expect(splitQuestion('Are keys generated and securely destroyed by the HSM?')).toEqual([]);
    expect(splitQuestion('Are incidents logged, triaged and reported within a day?')).toEqual([]);
    expect(splitQuestion('Must contractors return their badges and sign an exit form?')).toEqual([]);
    expect(splitQuestion('What are your data retention and data deletion timelines?')).toEqual([]);
  });

  it('asks a doing after "and" on its own, with the question’s opening, when its word is only ever a verb', () => {
    expect(splitQuestion('Do you keep an inventory of vendors and inform tenants ahead of onboarding another?')).toEqual([
      'Do you keep an inventory of vendors?',
      'Do you inform tenants ahead of onboarding another?',
    ]);
    // Two verbs sharing their object stay one doing each of the same thing; a word that may be a noun is not read as a doing.
    expect(splitQuestion('Do you encrypt and rotate signing keys?')).toEqual(['Do you encrypt signing keys?', 'Do you rotate signing keys?']);
    expect(splitQuestion('Do you collect access and audit logs?')).toEqual(['Do you collect access logs?', 'Do you collect audit logs?']);
    // Without an opening to share, the question is asked whole.
    expect(splitQuestion('Please describe your vendor inventory and notify procedure.')).toEqual([]);
  });

  it('gives each plural noun its own ask, and keeps a shared head after a modifier', () => {
    const [first, second] = splitQuestion('Who approves firewall changes and database migrations?');
    expect(first).toBe('Who approves firewall changes?');
    expect(second).toContain('database migrations?');
    expect(splitQuestion('Are vendor and partner accounts reviewed?')).toEqual(['Are vendor accounts reviewed?', 'Are partner accounts reviewed?']);
    expect(splitQuestion('Do your Windows and macOS agents report to the console?')).toEqual(['Do your Windows agents report to the console?', 'Do your macOS agents report to the console?']);
  });
});
