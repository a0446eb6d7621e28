/**
 * English questions written as engineers and sales people write them: clipped words and
 * abbreviations (pw, prod, DC, creds, vuln, bg check, "15 min"), and the fillers of a request
 * ("can you tell me", "let us know", "just wondering"). Before src/retrieve/shorthand.ts, "pw"
 * was no idea at all, "DC" a named topic no row mentions (declined), "creds" and "dev" unknown,
 * "quarterly" a magazine (季刊) and "tell", "me", "know" ideas no row covers. An abbreviated
 * question must reach the row its spelled-out wording reaches, and a filler must not count.
 * The questions and the checksheet are this test's own.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { EN_STOP, expandQuery, type Concept } from '../../src/retrieve/expand.js';
import { LEXICON_DIR, loadLexicon, tokenizeEn } from '../../src/retrieve/lexicon.js';
import { askedQuantity } from '../../src/retrieve/quantities.js';
import { parseShorthand, spellOut } from '../../src/retrieve/shorthand.js';
import { appOver, tempCorpus } from '../support/corpus.js';

const lexicon = loadLexicon();
const concepts = (q: string): Concept[] => expandQuery(q, lexicon).concepts;
/** The glossary lines a question reaches, as their first English phrase. */
const lines = (q: string): string[] =>
  concepts(q)
    .flatMap((c) => (c.glossaryIds ?? []).map((id) => lexicon.glossary[id]?.en[0] ?? ''))
    .sort();
const sources = (q: string): string[] => concepts(q).map((c) => c.source.toLowerCase());

describe('shorthand.tsv', () => {
  it('parses without problems', () => {
    expect(parseShorthand(readFileSync(new URL('shorthand.tsv', LEXICON_DIR), 'utf8')).problems).toEqual([]);
  });

  it('makes no glossary phrase all stop words (a phrase made only of them is never matched)', () => {
    const stop = parseShorthand(readFileSync(new URL('shorthand.tsv', LEXICON_DIR), 'utf8')).stop;
    const lost = lexicon.glossary.flatMap((c) =>
      c.en.filter((p) => {
        const words = tokenizeEn(p.toLowerCase());
        return words.some((w) => stop.has(w)) && words.every((w) => EN_STOP.has(w));
      }),
    );
    expect(lost).toEqual([]);
  });
});

describe('spellOut', () => {
  it('writes out clipped words, longest phrase first, and keeps the rest as written', () => {
    expect(spellOut('pw min length?')).toBe('password minimum length?');
    expect(spellOut('Is the dev-env walled off from prod?')).toBe('Is the development-environment walled off from production?');
    expect(spellOut('Do 3rd-party devs get creds?')).toBe('Do third-party developers get credentials?');
    expect(spellOut('Is SOC 2 in scope?')).toBe('Is SOC 2 in scope?');
  });

  it('reads a word by its neighbours and its case', () => {
    expect(spellOut('locked for 15 min after 5 tries')).toBe('locked for 15 minute after 5 tries');
    expect(spellOut('min TLS version')).toBe('minimum TLS version');
    expect(spellOut('24 hr support')).toBe('24 hour support');
    expect(spellOut('Does HR sign off?')).toBe('Does human resources sign off?');
    expect(spellOut('Are TLS certs renewed?')).toBe('Are TLS certificates renewed?');
    expect(spellOut('Which certs do you hold?')).toBe('Which certifications do you hold?');
    expect(spellOut('Who staffs your CERT?')).toBe('Who staffs your CERT?');
    expect(spellOut('Is the office in Washington DC?')).toBe('Is the office in Washington DC?');
    // An acronym's plural is still written in capitals.
    expect(spellOut('Do you write PIRs?')).toBe('Do you write post-incident reviews?');
  });
});

describe('an abbreviated question reads as its spelled-out wording', () => {
  const pairs: Array<[string, string]> = [
    ['Where is your DC?', 'Where is your data center?'],
    ['Who gets prod access?', 'Who gets production access?'],
    ['Is the dev env separate from staging?', 'Is the development environment separate from staging?'],
    ['How are creds stored?', 'How are credentials stored?'],
    ['Are config changes approved?', 'Are configuration changes approved?'],
    ['Who can write to the repo?', 'Who can write to the repository?'],
    ['Do you run vuln scans on infra?', 'Do you run vulnerability scans on infrastructure?'],
    ['Do you do bg checks?', 'Do you do background checks?'],
    ['Is there an on-prem version?', 'Is there an on-premises version?'],
  ];
  it.each(pairs)('%s', (short, long) => {
    expect(lines(short)).toEqual(lines(long));
    expect(lines(short).length).toBeGreaterThan(0);
  });

  it('reaches the password policy from "pw min length"', () => {
    expect(lines('pw min length?')).toContain(lexicon.glossary.find((c) => c.en.includes('password length'))?.en[0]);
  });

  it('never makes an abbreviation a named topic of its own', () => {
    expect(concepts('Where is your DC?').some((c) => c.origin === 'literal')).toBe(false);
    expect(concepts('Does HR sign off on leavers?').some((c) => c.source === 'HR')).toBe(false);
  });
});

describe('request fillers are not ideas', () => {
  const plain = 'Do you encrypt backups?';
  it.each([
    'Can you tell me whether you encrypt backups?',
    'Hi team, quick question: do you encrypt backups?',
    'Just wondering, do you encrypt backups?',
    'Could you let us know if you encrypt backups?',
    'We would like to know whether you encrypt backups.',
    'Would you mind confirming if you encrypt backups?',
    'Sorry to bother you, but do you encrypt backups?',
    // "if we ask" is when, not what: the asking is no idea of the question.
    'Do you encrypt backups if we ask?',
    'Do you encrypt backups when asked?',
  ])('%s', (question) => {
    expect(lines(question)).toEqual(lines(plain));
    expect(concepts(question).length).toBe(concepts(plain).length);
  });

  it.each([
    ['Who is in charge of security?', 'Who is responsible for security?'],
    ['Are customers told of breaches?', 'Are customers notified of breaches?'],
    ['If the service goes down, how fast is it restored?', 'After a failure, is the service restored?'],
    ['Can we pull audit logs through the API?', 'Can we export audit logs with the API?'],
  ])('reads the everyday verbs of "%s" as "%s"', (everyday, plain) => {
    expect(lines(everyday)).toEqual(lines(plain));
  });

  it('keeps need-to-know as the principle, not as a request', () => {
    expect(sources('Is PII access granted on a need-to-know basis?')).toContain('need to know');
    expect(sources('I need to know whether PII is encrypted')).not.toContain('need to know');
  });
});

describe('time words and light verbs', () => {
  it('reads quarterly as every quarter (四半期), not a quarterly magazine (季刊)', () => {
    const variants = concepts('Are access reviews done quarterly?').flatMap((c) => c.variants);
    expect(variants).toContain('四半期');
    expect(variants).not.toContain('季刊');
  });

  it('reads minutes after a number as time (分), and minutes of a meeting as a record (議事録)', () => {
    const timed = concepts('Are idle sessions closed after 15 min?').flatMap((c) => c.variants);
    expect(timed).toContain('分以内');
    expect(timed).not.toContain('議事録');
    expect(concepts('Are minutes of management reviews kept?').flatMap((c) => c.variants)).toContain('議事録');
  });

  it('takes "…, in minutes?" as asking for a figure, so a row stating none is no answer', () => {
    expect(askedQuantity('What is the account lockout duration, in minutes?')).toMatchObject({ dimension: 'time', figure: null });
  });

  it('reads "run" as a light verb, not ラン', () => {
    expect(concepts('Do you run EDR on laptops?').flatMap((c) => c.variants)).not.toContain('ラン');
  });
});

const CHECKSHEET = [
  '# tsukiセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 施設</b>\t\t\t',
  '1-1\tデータセンターの所在地を明示すること。\t○\tデータセンターは国内(東京・大阪)に所在します。',
  '<b>2 認証</b>\t\t\t',
  '2-1\tパスワードの最小文字数を定めること。\t○\tパスワードは12文字以上とし、英数記号の混在を必須としています。',
  '2-2\t本番環境へのアクセス権限を限定すること。\t○\t本番環境へのアクセスは運用担当者に限定し、申請と承認を必須としています。',
  '2-3\tアクセス権の見直しを定期的に行うこと。\t○\tアクセス権の棚卸を四半期ごとに実施しています。',
  '<b>3 脆弱性</b>\t\t\t',
  '3-1\tインフラの脆弱性診断を実施すること。\t○\tインフラの脆弱性スキャンを毎月実施しています。',
  '<b>4 人的</b>\t\t\t',
  '4-1\t採用時の経歴確認を行うこと。\t○\t採用時に経歴確認を実施しています。',
  '4-2\tソースコードのリポジトリへのアクセスを管理すること。\t○\tリポジトリへの書き込みは開発者のみに限定しています。',
  '',
].join('\n');

let app: App;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await appOver(tempCorpus('kotae-shorthand-', { file: 'tsuki.txt', product: 'tsuki', vendor: null, title: 'tsukiセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET)));
}, 120_000);

afterAll(() => close());

const ask = async (question: string) => (await app.ask(question, 'tsuki')).draft;

describe('over a checksheet', () => {
  it.each([
    ['Where is your DC?', 'Where is your data center located?', '1-1'],
    ['pw min length?', 'What is the minimum password length?', '2-1'],
    ['Who gets prod access?', 'Who has access to the production environment?', '2-2'],
    ['Can you tell me how often you do access reviews - quarterly?', 'Do you review access rights every quarter?', '2-3'],
    ['Do you run vuln scans on infra?', 'Do you perform vulnerability scans of your infrastructure?', '3-1'],
    ['Just wondering if you do bg checks on new hires', 'Do you perform background checks on new hires?', '4-1'],
    ['Who can push to the repo?', 'Who can write to the source code repository?', '4-2'],
  ])('%s is answered as "%s" is, from row %s', async (short, long, ref) => {
    const [a, b] = [await ask(short), await ask(long)];
    expect(b.citations[0]?.ref).toBe(ref);
    expect(a.citations[0]?.ref).toBe(ref);
    expect(a.reason ?? '').not.toMatch(/no passage mentions/);
    expect([a.abstained, a.status]).toEqual([b.abstained, b.status]);
  });
});
