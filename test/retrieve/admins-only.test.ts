/**
 * A row stating a control for administrators only, with no 「のみ」 or "only" (「特権アカウントでの
 * サインインには…二要素認証を必須」, "administrator accounts must sign in with multi-factor
 * authentication"), answers a question about everyone who signs in in part (issue #9: admins only
 * vs all users), flagged with a reason quoting the limit, and so does one about signing in to the
 * service that names no one (everyone who signs in). A question about administrators is answered
 * yes; one naming no population nor signing in is answered by the row's mark; a row where the
 * administrator is the one configuring the control for everyone is no limit. Made-up sheets
 * and wordings, this test's own.
 */
import { describe, expect, it } from 'vitest';
import { adminAudience, namesPopulation, populationAsked } from '../../src/retrieve/audience.js';
import { sectionSheets } from '../support/sheets.js';

const sheets = {
  // Japanese: privileged accounts get two-factor sign-in, ordinary users a password.
  tessel: [
    ['なりすまし対策として適切な認証方式を用いること。', '一般ユーザーはIDとパスワードでサインインします。特権アカウントでのサインインにはワンタイムパスワードによる二要素認証を必須としています。'],
    ['通信を暗号化すること。', 'インターネット経由の通信はすべてTLS1.2以上で暗号化しています。'],
    ['バックアップを取得すること。', '日次でバックアップを取得し、30日間保管しています。'],
    ['本番環境へのアクセスを制限すること。', '本番環境へのアクセスはシステム管理者に限定しています。'],
  ],
  // English: administrator accounts get MFA, customer users e-mail and password.
  quill: [
    ['Strong authentication protects access to the service.', 'Administrator accounts must sign in with multi-factor authentication (MFA) using an authenticator app. Customer users sign in with their e-mail address and a password.'],
    ['Data in transit is encrypted.', 'All traffic over the internet is encrypted with TLS 1.2 or later.'],
    ['Backups are taken.', 'Backups are taken daily and kept for 30 days.'],
    ['Access to production is restricted.', 'Access to production servers is restricted to administrators.'],
  ],
  // The administrator configures the control for everyone: no limit.
  ferro: [
    ['多要素認証を提供すること。', 'お客様の管理者は、管理画面から全メンバーに多要素認証を必須に設定できます。'],
    ['Multi-factor authentication is offered.', 'Workspace administrators can enforce multi-factor authentication for every member of the workspace.'],
    ['バックアップを取得すること。', '日次でバックアップを取得しています。'],
  ],
} as const;

const { answer } = sectionSheets(sheets);

describe('a control stated for administrators only', () => {
  it('reads the population a question asks about, none when it names an administrator', () => {
    expect(populationAsked('Do all employees have to use MFA?')).toBe('employees');
    expect(populationAsked('社員のログインに二要素認証は必要ですか')).toBe('社員');
    expect(populationAsked('Is MFA required for admin accounts and users?')).toBeNull();
    expect(populationAsked('Is MFA supported?')).toBeNull();
    // Signing in to the service, no one named: everyone who signs in. Signing in to the vendor's own systems: its staff.
    expect(populationAsked('Is MFA required to sign in to the service?')).toBe('sign in');
    expect(populationAsked('サービスへのログインに二要素認証は必要ですか')).toBe('ログイン');
    expect(populationAsked('Is MFA required for logins to your production servers?')).toBeNull();
    expect(populationAsked('本番サーバーへのログインに多要素認証を使っていますか')).toBeNull();
  });

  it('reads an administrator as whom a clause covers, not as one acting, a screen or a recipient', () => {
    expect(adminAudience('特権アカウントでのサインインには二要素認証を必須としています')).toBe('特権アカウント');
    expect(adminAudience('Administrator accounts must sign in with multi-factor authentication')).toBe('administrator accounts');
    expect(adminAudience('管理者がパスワードポリシーを設定します')).toBeNull();
    expect(adminAudience('管理者画面からパスワードの桁数を変更します')).toBeNull();
    expect(adminAudience('Administrators can enforce MFA for every member')).toBeNull();
    expect(adminAudience('MFA is enforced by administrators')).toBeNull();
    expect(adminAudience('障害時はご契約管理者様へメールで通知します')).toBeNull();
    // Access kept to administrators is the control itself, not a limit of whom it covers.
    expect(adminAudience('本番環境へのアクセスはシステム管理者に限定しています')).toBeNull();
    expect(adminAudience('Access to production servers is restricted to administrators')).toBeNull();
    expect(adminAudience('管理者アカウントのみ二要素認証を必須としています')).toBe('管理者アカウント');
    // A clause naming users beside the administrators covers them too; 特権ユーザー is no user of the population.
    expect(namesPopulation('Administrators and all users must sign in with MFA')).toBe(true);
    expect(namesPopulation('特権ユーザーは二要素認証を必須としています')).toBe(false);
  });

  it('answers a question about users or everyone partial, naming the limit', async () => {
    for (const [product, question] of [
      ['tessel', '従業員のサインインに二要素認証を必須にしていますか？'],
      ['tessel', '全ユーザーに多要素認証を義務付けていますか'],
      ['quill', 'Is multi-factor authentication enforced for all users?'],
      ['quill', 'Do end users have to sign in with MFA?'],
      // No one named: signing in to the service is everyone's. 「などの」 holds どの and asks nothing of which.
      ['tessel', 'サービスへのログイン時に、ワンタイムパスワードなどの二要素認証を求めていますか。'],
      ['quill', 'Is a second factor such as an authenticator app required to sign in?'],
    ] as const) {
      const d = await answer(product, question);
      expect([question, d.citations[0]?.ref, d.status], question).toEqual([question, '1-1', 'partial']);
      expect(d.needsHuman, question).toBe(true);
      expect(d.reason, question).toMatch(product === 'tessel' ? /特権アカウント/ : /Administrator accounts/);
    }
  });

  it('answers a question about administrators, or naming no population, from the row', async () => {
    for (const [product, question] of [
      ['tessel', '特権アカウントのサインインに二要素認証を必須にしていますか？'],
      ['tessel', '二要素認証を導入していますか'],
      ['quill', 'Is MFA required for administrator accounts?'],
      ['quill', 'Do you support multi-factor authentication?'],
    ] as const) {
      const d = await answer(product, question);
      expect([question, d.citations[0]?.ref, d.status], question).toEqual([question, '1-1', 'yes']);
    }
  });

  it('answers yes where access kept to administrators is the control asked about', async () => {
    for (const [product, question] of [
      ['tessel', '全従業員の本番環境へのアクセスを制限していますか？'],
      ['quill', 'Is access to production restricted for employees?'],
    ] as const) {
      const d = await answer(product, question);
      expect([question, d.citations[0]?.ref, d.status], question).toEqual([question, '1-4', 'yes']);
    }
  });

  it('answers yes where the administrator enforces the control for everyone', async () => {
    for (const question of ['利用者全員に多要素認証を必須にできますか', 'Can multi-factor authentication be enforced for all users?']) {
      const d = await answer('ferro', question);
      expect([question, d.status], question).toEqual([question, 'yes']);
      expect(['1-1', '1-2'], question).toContain(d.citations[0]?.ref);
    }
  });
});
