import { describe, expect, it } from 'vitest';
import type { Language, Passage } from '../../src/domain.js';
import { aboutProvision, asksAboutEvents, asksForCertification, asksForName, asksForProvision, asksForRegion, parseFacts, statesCertification, statesEventFact, statesName, statesRegion } from '../../src/retrieve/facts.js';
import { PROVISION, questionCautions } from '../../src/retrieve/caution.js';
import { unstatedFact, type Judgement } from '../../src/judge/judge.js';
import { ANSWER_FEATURES, type QuestionView } from '../../src/judge/features.js';

function passage(id: string, answer: string): Passage {
  return { id, product: 'acme', kind: 'control', source: 'acme.txt', title: 'Acme checksheet', locator: `L${id}`, line: Number(id), page: null, sectionPath: [], ref: id, requirement: '', answer, status: 'yes' };
}

/** A confident answer citing the given rows, as the judgement would hand it over. */
function answered(...answers: string[]): Judgement {
  return {
    ranked: [],
    hits: answers.map((a, i) => ({ passage: passage(String(i + 1), a), score: 0.5 })),
    abstained: false,
    answerable: 0.95,
    confidence: 0.92,
    needsReview: false,
    reason: 'the cited passages answer the question (confidence 92%)',
    answerFeatures: Object.fromEntries(ANSWER_FEATURES.map((f) => [f, 0])) as Judgement['answerFeatures'],
  };
}

/** The judgement's fact cautions applied to an answer, the question read as retrieval reads it (its asks: its own split). */
function declineUnstatedFacts(question: string, j: Judgement, lang: Language): Judgement {
  const view: QuestionView = { concepts: [], asks: [], absent: [], unmentioned: 0, idf: [], lang, bm25: [], bm25Ceiling: 0, cautions: questionCautions(question, lang) };
  return unstatedFact(view, j);
}

describe('questions about past events', () => {
  it.each([
    ['Has your organisation ever lost customer records to an attacker?', 'en'],
    ['Have you ever been fined by a data protection authority?', 'en'],
    ['Were there any ransomware infections in the last two years?', 'en'],
    ['How many phishing incidents were reported during the previous year?', 'en'],
    ['When was the last penetration test carried out?', 'en'],
    ['過去3年間にサイバー攻撃の被害を受けたことはありますか?', 'ja'],
    ['これまでに委託先からの情報流出はありましたか?', 'ja'],
    ['昨年度の障害の件数を教えてください。', 'ja'],
  ] as const)('are recognised: %s', (question, lang) => {
    expect(asksAboutEvents(question, lang)).toBe(true);
  });

  it.each([
    ['Do you have a documented incident response plan?', 'en'],
    ['How often are firewall rules reviewed?', 'en'],
    ['If the service is ever shut down, how much notice do customers get?', 'en'],
    ['How long are access logs kept?', 'en'],
    ['Do you retain audit logs for the past 12 months?', 'en'],
    ['Have you ever carried out an external penetration test?', 'en'],
    ['Do you keep a history of configuration changes?', 'en'],
    ['How many administrators can a tenant have?', 'en'],
    ['Within how many hours is a customer told about a security breach?', 'en'],
    ['How many days after an outage do you publish the post-mortem?', 'en'],
    ['過去1年分のアクセスログを保管していますか?', 'ja'],
    ['1つの契約で何件まで登録できますか?', 'ja'],
    ['インシデント発生時の連絡体制は整備されていますか?', 'ja'],
    ['バックアップは何世代保管していますか?', 'ja'],
    // A count of events the vendor schedules is a frequency a row states (年4回), not history.
    ['How many scheduled downtime windows are there in a typical year?', 'en'],
    ['定期メンテナンスによる停止は過去どの程度の件数になりますか?', 'ja'],
  ] as const)('are not confused with questions about controls: %s', (question, lang) => {
    expect(asksAboutEvents(question, lang)).toBe(false);
  });
});

describe('rows that can answer a question about events', () => {
  it('state a count, a date, a measured figure or that nothing occurred', () => {
    expect(statesEventFact('昨年度に発生した重大障害は3件です。')).toBe(true);
    expect(statesEventFact('2回')).toBe(true);
    expect(statesEventFact('稼働率 99.95%(昨年度実績)')).toBe(true);
    expect(statesEventFact('直近の第三者診断は2024年5月に実施しました。')).toBe(true);
    expect(statesEventFact('これまでに情報漏えい事故は発生しておりません。')).toBe(true);
    expect(statesEventFact('There have been no security breaches since launch.')).toBe(true);
  });

  it('do not include rows that only describe a control, even one with a frequency or a link', () => {
    expect(statesEventFact('インシデント発生時は手順書に従いCSIRTが対応いたします。')).toBe(false);
    expect(statesEventFact('年2回、脆弱性診断を実施しております。')).toBe(false);
    expect(statesEventFact('詳細は https://example.com/2024/05/security をご覧ください。')).toBe(false);
    expect(statesEventFact('Incidents are handled under a written response procedure.')).toBe(false);
  });
});

describe('questions asking for a name', () => {
  it.each([
    ['Could you tell us the names of your main subcontractors?', 'en'],
    ['Which hosting provider runs the production servers?', 'en'],
    ['What company audits your ISMS?', 'en'],
    ['保守を委託している会社名を教えてください。', 'ja'],
    ['どこの事業者のクラウドを利用していますか?', 'ja'],
  ] as const)('are recognised: %s', (question, lang) => {
    expect(asksForName(question, lang)).toBe(true);
  });

  it.each([
    ['Can users rename folders and restrict who sees them?', 'en'],
    ['Is the hosting provider certified to ISO 27001?', 'en'],
    ['ファイルに名前を付けて分類できますか?', 'ja'],
  ] as const)('are not confused with other questions: %s', (question, lang) => {
    expect(asksForName(question, lang)).toBe(false);
  });

  it('are answered by rows naming a company or a cloud vendor, not by acronyms of controls', () => {
    expect(statesName('本番環境はMicrosoftのクラウド上で運用しております。')).toBe(true);
    expect(statesName('サーバーはAWSの東京リージョンに設置しております。')).toBe(true);
    expect(statesName('保守は株式会社サンプル保守に委託しております。')).toBe(true);
    expect(statesName('ISMSに基づきCSIRTが対応し、PDFで報告いたします。')).toBe(false);
    expect(statesName('国内の耐震構造のデータセンターを利用しております。')).toBe(false);
  });
});

describe('questions about a certification', () => {
  it.each([
    ['Is the service certified against any recognised security standard?', 'en'],
    ['Which accreditations does your data centre hold?', 'en'],
    ['第三者認証は何か受けていますか?', 'ja'],
    ['セキュリティに関する認証を取得していますか?', 'ja'],
  ] as const)('are recognised: %s', (question, lang) => {
    expect(asksForCertification(question, lang)).toBe(true);
  });

  it.each([
    ['Do you offer two-factor authentication?', 'en'],
    ['Will you issue a certificate once our data is destroyed?', 'en'],
    ['ログイン時の認証方式を教えてください。', 'ja'],
    ['管理者は2段階認証を使っていますか?', 'ja'],
  ] as const)('are not confused with questions about authentication or certificates: %s', (question, lang) => {
    expect(asksForCertification(question, lang)).toBe(false);
  });

  it('are answered by rows naming a scheme or standard, not by rows about signing in', () => {
    expect(statesCertification('ISO/IEC 27001の認証を取得しております。')).toBe(true);
    expect(statesCertification('プライバシーマークを取得しております。')).toBe(true);
    expect(statesCertification('情報セキュリティマネジメントシステムの認証基準を満たしております。')).toBe(true);
    expect(statesCertification('ID/Passwordによる認証に加え、2段階認証を提供しております。')).toBe(false);
  });

  it('naming one scheme are answered only by rows naming the same scheme', () => {
    const question = 'Are you certified under the PCI DSS programme?';
    expect(statesCertification('ISMS認証を取得しております。', question)).toBe(false);
    expect(statesCertification('カード情報の取扱いはPCI DSSに準拠し、認証を取得しております。', question)).toBe(true);
    expect(statesCertification('ISO/IEC 27001の認証を取得しております。', 'ISMS認証は取得していますか?')).toBe(true);
  });
});

describe('questions asking for a country or region', () => {
  it.each([
    ['In which country are the backups kept?', 'en'],
    ['Is any customer data processed offshore?', 'en'],
    ['バックアップは海外に保管されることがありますか?', 'ja'],
    ['サーバーはどの地域にありますか?', 'ja'],
    ['Where is the production environment hosted?', 'en'],
    ['How is data encrypted, and where are the servers located?', 'en'],
    ['本番環境のサーバーはどこにありますか?', 'ja'],
    ['データセンターの所在地はどこですか?', 'ja'],
  ] as const)('are recognised: %s', (question, lang) => {
    expect(asksForRegion(question, lang)).toBe(true);
  });

  it.each([
    ['Where are audit logs kept, and who can read them?', 'en'],
    ['バックアップはどこに保管していますか?', 'ja'],
    ['Where can we read the incident response procedure?', 'en'],
    ['Is there a record of where each laptop is located?', 'en'],
  ] as const)('are not confused with a question where in the system something is kept: %s', (question, lang) => {
    expect(asksForRegion(question, lang)).toBe(false);
  });

  it('are answered by rows naming a place, not by rows about who runs the data centre', () => {
    expect(statesRegion('データは国内のデータセンターに保管しております。')).toBe(true);
    expect(statesRegion('東京リージョンで運用しております。')).toBe(true);
    expect(statesRegion('Customer data is stored in the EU.')).toBe(true);
    expect(statesRegion('データセンターはクラウド事業者の管理に基づきます。')).toBe(false);
  });
});

describe('declineUnstatedFacts', () => {
  it('declines a question about past events when the cited rows only describe controls', () => {
    const j = declineUnstatedFacts('Has your company ever had a security breach?', answered('インシデント発生時は手順書に従い対応しております。'), 'en');
    expect(j.abstained).toBe(true);
    expect(j.hits).toEqual([]);
    expect(j.needsReview).toBe(true);
    expect(j.confidence).toBe(0);
    expect(j.reason).toMatch(/not past events/);
  });

  it('says why in Japanese for a Japanese question', () => {
    const j = declineUnstatedFacts('過去に不正アクセスの被害にあったことはありますか?', answered('不正アクセス対策としてWAFを導入しております。'), 'ja');
    expect(j.abstained).toBe(true);
    expect(j.reason).toContain('過去の事象');
  });

  it('keeps the answer when a cited row states what happened', () => {
    const given = answered('インシデント対応手順を定めております。', '昨年度の重大障害は1件です。');
    expect(declineUnstatedFacts('How many major outages did you have in the past year?', given, 'en')).toBe(given);
  });

  it('declines a question asking for a name when no cited row names anyone', () => {
    const j = declineUnstatedFacts('Which company operates your data centre?', answered('データセンターは耐震構造となっております。'), 'en');
    expect(j.abstained).toBe(true);
    expect(j.reason).toMatch(/asks for a name/);
  });

  it('keeps the answer to a question asking for a name when a cited row states one', () => {
    const given = answered('本番環境はAWSにて構築・運用しております。');
    expect(declineUnstatedFacts('Which cloud provider hosts the service?', given, 'en')).toBe(given);
  });

  it('declines a question about a certification answered only from a sign-in row', () => {
    const j = declineUnstatedFacts('外部の認証を取得していますか?', answered('ID/Passwordによる認証と2段階認証を提供しております。'), 'ja');
    expect(j.abstained).toBe(true);
    expect(j.reason).toContain('認証・認定');
  });

  it('keeps an approved answer reused for the same question, whatever it names', () => {
    const given = answered('当社の情報セキュリティ責任者は山田です。');
    const reused: Judgement = { ...given, hits: given.hits.map((h) => ({ ...h, passage: { ...h.passage, kind: 'approved' } })) };
    expect(declineUnstatedFacts('情報セキュリティ責任者の氏名を教えてください。', reused, 'ja')).toBe(reused);
    expect(declineUnstatedFacts('情報セキュリティ責任者の氏名を教えてください。', given, 'ja').abstained).toBe(true);
  });

  it('answers the other asks of a question of several when only the fact is not stated: partial, flagged, the open ask named', () => {
    const given = answered('インシデント発生時は手順書に従い対応しております。');
    const j = declineUnstatedFacts('What is your incident procedure, and how many breaches did you have last year?', given, 'en');
    expect(j.abstained).toBe(false);
    expect(j.hits.map((h) => h.passage.id)).toEqual(given.hits.map((h) => h.passage.id));
    expect(j.hits[0]?.status).toBe('partial');
    expect(j.needsReview).toBe(true);
    expect(j.reason).toMatch(/not past events/);
    expect(j.reason).toContain('how many breaches did you have last year');
  });

  it('declines a question of several asks when every ask wants the fact', () => {
    const j = declineUnstatedFacts('どこの会社に保守を委託していますか?会社名を教えてください。', answered('保守は委託先と契約を結んでおります。'), 'ja');
    expect(j.abstained).toBe(true);
  });

  it('leaves questions about controls alone', () => {
    const given = answered('インシデント発生時は手順書に従い対応しております。');
    expect(declineUnstatedFacts('Do you have an incident response procedure?', given, 'en')).toBe(given);
  });
});

describe('lexicon/facts.tsv', () => {
  it('reads a line by role, with its detail, and refuses a role the code does not know', () => {
    expect(parseFacts('# comment\nja\tasked-when\t前回\t12\n')).toEqual([{ lang: 'ja', role: 'asked-when', words: ['前回'], detail: '12' }]);
    expect(() => parseFacts('en\tevents\tbreach\n')).toThrow();
  });
});

describe('questions asking to be handed something, and caveats about handing things over', () => {
  it.each([
    ['Can we obtain copies of the audit logs for our tenant?', 'en'],
    ['Will you provide a certificate once our data has been destroyed?', 'en'],
    ['Is it possible to download the access history of our users?', 'en'],
    ['監査ログを利用者に提供してもらうことはできますか?', 'ja'],
    ['データ消去の証明書を発行していただけますか?', 'ja'],
    ['自社ユーザーの操作履歴をダウンロードできますか?', 'ja'],
    ['Could our auditors get a copy of the access records when needed?', 'en'],
    ['Are change histories made available to tenants?', 'en'],
    ['Can a tenant administrator retrieve the sign-in history?', 'en'],
    ['If we ask for the audit trail, will you hand it over?', 'en'],
    ['障害時の調査記録を見せていただくことはできますか?', 'ja'],
    ['アクセス履歴の写しをもらえますか?', 'ja'],
  ] as const)('asks to be given something: %s', (question, lang) => {
    expect(asksForProvision(question, lang)).toBe(true);
    expect(questionCautions(question, lang)).toContainEqual(PROVISION);
  });

  it.each([
    ['How long are audit logs retained?', 'en'],
    ['Are backups restored and tested regularly?', 'en'],
    ['監査ログの保存期間を教えてください。', 'ja'],
    ['バックアップから復元できることを確認していますか?', 'ja'],
    ['Do you keep backup copies in a second data centre?', 'en'],
    ['サービス終了の際は何か月前に知らせてもらえますか?', 'ja'],
  ] as const)('asks about the control itself: %s', (question, lang) => {
    expect(asksForProvision(question, lang)).toBe(false);
    expect(questionCautions(question, lang)).not.toContainEqual(PROVISION);
  });

  it('reads a caveat about handing over, in either language, and not one about something else', () => {
    expect(aboutProvision('お客様へのログの提供は行っておりません')).toBe(true);
    expect(aboutProvision('証明書に類する書類は発行しておりません')).toBe(true);
    expect(aboutProvision('logs are not provided to customers')).toBe(true);
    expect(aboutProvision('SLAは規定しておりません')).toBe(false);
    expect(aboutProvision('the free plan does not include exports')).toBe(false);
  });
});
