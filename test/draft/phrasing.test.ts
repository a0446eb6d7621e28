import { describe, expect, it } from 'vitest';
import { conceptNames, figureRow, firstSentenceIsEnglish, statedValue } from '../../src/draft/phrasing.js';
import { asksYesNo, questionForm } from '../../src/draft/question-form.js';

const HOSHI = { product: 'hoshi', title: 'hoshi.com セキュリティチェックシート' };

describe('question form', () => {
  it('tells yes/no, value and how/what questions apart, in both languages', () => {
    expect(questionForm('Do you encrypt backups?')).toBe('yesno');
    expect(questionForm('3. Please confirm whether backups are encrypted.')).toBe('yesno');
    expect(questionForm('Backups are encrypted at rest.')).toBe('yesno');
    expect(questionForm('How long are backups kept?')).toBe('value');
    expect(questionForm('What is your RPO?')).toBe('value');
    expect(questionForm('Which hours is support staffed?')).toBe('value');
    expect(questionForm('How do you protect backups?')).toBe('open');
    expect(questionForm('Describe your incident response process.')).toBe('open');
    expect(questionForm('バックアップを暗号化していますか?')).toBe('yesno');
    expect(questionForm('バックアップは何日間保管しますか?')).toBe('value');
    expect(questionForm('サポートの受付時間帯は?')).toBe('value');
    expect(questionForm('バックアップはどのように保護していますか?')).toBe('open');
  });

  it('reads a Japanese request as open only when it asks to be told something, not whether', () => {
    // Requests for a description, however politely worded.
    for (const q of ['鍵の保管方法をご教示ください。', '監査報告書をご提示いただけますか。', 'パスワードの条件を明示してください。', '解約時の手続きについて説明して']) {
      expect(questionForm(q, 'ja'), q).toBe('open');
    }
    // The same verbs in a yes/no question, and a request whose object is whether something is done.
    for (const q of ['障害時の対応手順を規程に記載していますか。', '利用者に変更内容を説明していますか?', '通信を暗号化しているかどうか教えてください。', '多要素認証を提供しているかご回答ください。']) {
      expect(questionForm(q, 'ja'), q).toBe('yesno');
    }
  });

  it('finds the yes/no ask of a question that also asks for a description or a figure', () => {
    expect(asksYesNo('ログは保存していますか。保存期間も教えてください。')).toBe(true);
    expect(asksYesNo('Describe your patching process. Is it automated?')).toBe(true);
    expect(asksYesNo('当社は個人情報を預けます。保管場所を教えてください。')).toBe(false);
    expect(asksYesNo('How long are logs kept? Where are they stored?')).toBe(false);
  });
});

describe('stated value', () => {
  it('picks the figure the question asks for and says it in English', () => {
    const row = '2025年4月に改定。ログは最低12か月間保存し、稼働率は99.9%です。受付は9:00～18:00です。';
    expect(statedValue('How long are logs kept?', row)).toMatchObject({ ja: '最低12か月間', en: 'at least 12 months' });
    expect(statedValue('What uptime do you guarantee?', row)).toMatchObject({ en: '99.9%' });
    expect(statedValue('What are your support hours?', row)).toMatchObject({ en: '9:00–18:00' });
    expect(statedValue('How often are restores tested?', 'リストア試験は年1回実施しております。')).toMatchObject({ en: 'once a year' });
    expect(statedValue('Which hours is monitoring staffed?', '24時間365日監視しております。')).toMatchObject({ en: '24 hours a day, 365 days a year' });
    expect(statedValue('Within what time are incidents reported?', '障害は1時間以内に通知します。')).toMatchObject({ en: 'within 1 hour' });
    expect(statedValue('How often are backups taken?', 'バックアップは日次で取得しております。')).toMatchObject({ en: 'daily' });
    // Every one-word cadence the figures lexicon knows, the first the row states: not a later one about something else.
    expect(statedValue('How often are backups taken?', 'データは毎時バックアップし、復元手順は四半期ごとに確認しています。')).toMatchObject({ en: 'hourly' });
    expect(statedValue('How often are access rights reviewed?', 'アクセス権限は半年ごとに見直しています。')).toMatchObject({ en: 'semi-annually' });
    // The row's own day count is copied, not rounded.
    expect(statedValue('Which hours is the help desk open?', '24時間366日受け付けております。')).toMatchObject({ en: '24 hours a day, 366 days a year' });
    // A year in a date is not a duration; a row without the figure asked for gives none.
    expect(statedValue('How long are logs kept?', '2025年に方針を改定しました。')).toBeNull();
  });
});

describe('stated value of the kind asked', () => {
  // Made-up rows: a cadence beside a count, a period, a number of sites.
  const cadenceAndCount = '取得は日次で行い、直近5世代を保持しております。';
  const cadenceOnly = 'データの複製は毎日取得しております。';
  const sitesAndPeriod = '複製データは2拠点に分散し、90日間保管しております。';

  it('answers a count of generations or copies with a count, never with a frequency', () => {
    expect(statedValue('How many generations of the database copy do you retain?', cadenceAndCount)).toMatchObject({ ja: '5世代', en: '5 generations' });
    expect(statedValue('複製は何世代まで残していますか?', cadenceAndCount)).toMatchObject({ en: '5 generations' });
    expect(statedValue('How many copies are retained?', 'Snapshots run nightly; 4 copies are retained.')).toMatchObject({ en: '4 copies' });
    // The row says how often, not how many: no figure rather than "daily".
    expect(statedValue('How many generations of the database copy do you retain?', cadenceOnly)).toBeNull();
    expect(statedValue('複製は何世代まで残していますか?', cadenceOnly)).toBeNull();
  });

  it('keeps frequency, period and count apart when a row states several', () => {
    expect(statedValue('How frequently is the database copied?', cadenceAndCount)).toMatchObject({ en: 'daily' });
    expect(statedValue('How long are replicated copies held?', sitesAndPeriod)).toMatchObject({ en: '90 days' });
    expect(statedValue('複製データの保管期間は?', sitesAndPeriod)).toMatchObject({ en: '90 days' });
    expect(statedValue('In how many sites are copies held?', sitesAndPeriod)).toMatchObject({ en: '2 sites' });
    // A count of sites is not a count of copies, nor a period one.
    expect(statedValue('How many generations of the database copy do you retain?', sitesAndPeriod)).toBeNull();
    // Generations of a daily copy are a period kept: 5 of them are 5 days (test/retrieve/generation-period.test.ts).
    expect(statedValue('How long are replicated copies held?', cadenceAndCount)).toMatchObject({ ja: '5日分(日次で5世代)', en: '5 days (5 generations of a copy taken every day)' });
  });

  it('offers no figure when the question does not say what kind it wants', () => {
    expect(statedValue('How much storage comes with the plan?', sitesAndPeriod)).toBeNull();
  });
});

describe('a figure stated by a cited row below the first', () => {
  const rows = [
    { text: '24時間365日稼働しています。', about: 'サービス提供時間\n24時間365日稼働しています。', row: 'hours' },
    { text: '12か月', about: '監査ログの保存期間\n12か月', row: 'retention' },
  ];

  it('is the row the draft quotes when the first row states no figure of the kind asked', () => {
    expect(figureRow('How long are audit logs kept?', ['監査ログは改ざんできない領域に保管しています。'], rows)).toBe('retention');
    expect(figureRow('監査ログは何か月保存していますか?', ['監査ログは改ざんできない領域に保管しています。'], rows)).toBe('retention');
  });

  it('is none when the first row states the figure, the question asks for none, or no other row is about the question', () => {
    expect(figureRow('How long are audit logs kept?', ['監査ログは6か月保管しています。'], rows)).toBeNull();
    expect(figureRow('Are audit logs protected from tampering?', ['監査ログは改ざんできない領域に保管しています。'], rows)).toBeNull();
    expect(figureRow('How long are backups kept?', ['バックアップは毎日取得しています。'], rows)).toBeNull();
  });

  it("is none when the other row shares only the product's own name with the question, in the title's script too", () => {
    // The name as the document title writes it (ホシ PAGE for hoshi-page) is no more a subject than the key.
    const audit = [{ text: '外部監査を年1回実施しています。', about: 'ホシゾラ PAGEの外部監査\nホシゾラ PAGEでは外部監査を年1回実施しています。', row: 'audit' }];
    const training = ['ホシゾラ PAGEの従業員に情報セキュリティ研修を実施しています。'];
    const name = { product: 'hoshizora-page', title: 'ホシゾラ PAGE セキュリティチェックシート' };
    expect(figureRow('ホシゾラ PAGEの訓練は年に何回ですか?', training, audit, name)).toBeNull();
    expect(figureRow('ホシゾラ PAGEの外部監査は年に何回ですか?', training, audit, name)).toBe('audit');
  });

  it("is none when the other row shares only the product's own name with the question", () => {
    const audit = [{ text: '外部監査を年1回実施しています。', about: 'hoshi.comの外部監査\nhoshi.comでは外部監査を年1回実施しています。', row: 'audit' }];
    const training = ['hoshi.comの従業員に情報セキュリティ研修を実施しています。'];
    for (const question of ['hoshi.comではフィッシング訓練を年に何回実施していますか?', 'hoshi.comの従業員向けの標的型攻撃メール訓練は年に何回実施していますか?']) {
      expect(figureRow(question, training, audit, HOSHI), question).toBeNull();
    }
    // Asked about the audits themselves, the same row is the one that states the figure.
    expect(figureRow('hoshi.comの外部監査は年に何回実施していますか?', training, audit, HOSHI)).toBe('audit');
  });

  it('reads a count per period (年2回) as the count of events asked', () => {
    expect(statedValue('How many planned service outages happen each year?', '計画停止は年4回です。')?.en).toBe('4 times a year');
  });
});

describe('concept names', () => {
  it('names the specific glossary concepts a row covers with their first English phrase, generic words left out', () => {
    const names = conceptNames('通信を暗号化すること。', '通信は暗号化しております。');
    expect(names).toContain('encryption');
    expect(names).not.toContain('information');
    expect(names.length).toBeLessThanOrEqual(3);
    expect(conceptNames('', 'ありがとうございます。')).toEqual([]);
  });

  it('names a concept spelt in Latin letters only where the row says it as a word', () => {
    // An English policy row: "retained" and "isolated" hold the letters of "ai" and "iso".
    const names = conceptNames('', 'Daily snapshots are retained for 35 days and restored into an isolated environment.');
    expect(names).not.toContain('artificial intelligence');
    expect(names.some((n) => /^iso\b/i.test(n))).toBe(false);
    expect(conceptNames('', 'Customer content is never used to train AI models.')).toContain('artificial intelligence');
  });
});

describe('firstSentenceIsEnglish', () => {
  it('is true for an English first sentence, even with a quoted Japanese title, and false otherwise', () => {
    expect(firstSentenceIsEnglish('Yes. 通信は暗号化しています。')).toBe(true);
    expect(firstSentenceIsEnglish('Covered by item 2 of 「セキュリティ方針」 (encryption).\n> 暗号化')).toBe(true);
    expect(firstSentenceIsEnglish('Our security checksheet states, in Japanese: 暗号化しております。')).toBe(false);
    expect(firstSentenceIsEnglish('はい。暗号化しています。')).toBe(false);
    expect(firstSentenceIsEnglish('99.9%')).toBe(false);
    expect(firstSentenceIsEnglish('At least 99.9% uptime, per item 3.')).toBe(true);
  });
});
