import { describe, expect, it } from 'vitest';
import type { Passage } from '../../src/domain.js';
import type { Concept } from '../../src/retrieve/expand.js';
import { absentTopics, compile, coverage, decide, jointCoverage, rank, statusFor, textKey } from '../../src/retrieve/rank.js';

function passage(id: string, answer: string, extra: Partial<Passage> = {}): Passage {
  return {
    id,
    product: 'acme',
    kind: 'control',
    source: 'acme.txt',
    title: 'Acme checksheet',
    locator: `L${id}`,
    line: Number(id),
    page: null,
    sectionPath: [],
    ref: id,
    requirement: '',
    answer,
    status: 'yes',
    ...extra,
  };
}

const concept = (source: string, variants: string[], weight = 1, origin: Concept['origin'] = 'glossary'): Concept => ({ source, variants, weight, origin });

describe('coverage', () => {
  it('is the weighted share of the question’s ideas a passage mentions', () => {
    const concepts = compile([concept('backup', ['バックアップ']), concept('retention', ['保持', '保存期間']), concept('data', ['データ'], 0.2)]);
    expect(coverage(concepts, textKey('バックアップは30日間保持しております'))).toBeCloseTo(2 / 2.2);
    expect(coverage(concepts, textKey('データは暗号化しております'))).toBeCloseTo(0.2 / 2.2);
  });

  it('matches Latin variants as whole words only', () => {
    const concepts = compile([concept('IDS', ['ids', '侵入検知'])]);
    expect(coverage(concepts, textKey('LeySerKids を提供しています'))).toBe(0);
    expect(coverage(concepts, textKey('IDS を導入しています'))).toBe(1);
    expect(coverage(concepts, textKey('侵入検知システムを導入'))).toBe(1);
  });
});

describe('abstention', () => {
  const concepts = compile([
    concept('PrivacyMark', ['プライバシーマーク', 'privacymark']),
    concept('certification', ['認証', '認定']),
    concept('granted', ['取得'], 0.5),
  ]);
  const pool = [passage('1', 'ISO/IEC 27001 の認証を取得しております'), passage('2', '通信は暗号化しております')];
  const keyOf = (p: Passage) => textKey(p.answer);

  it('abstains when the question’s topic is mentioned nowhere, however well other words match', () => {
    const ranked = rank(concepts, pool.map((p) => ({ passage: p, relevance: 1 })), keyOf);
    const absent = absentTopics(concepts, pool.map(keyOf));
    expect(absent).toEqual(['PrivacyMark']);
    const d = decide(ranked, { absent, joint: jointCoverage(concepts, ranked, keyOf) }, 'en');
    expect(d.abstained).toBe(true);
    expect(d.hits).toEqual([]);
    expect(d.reason).toContain('PrivacyMark');
  });

  it('does not treat a Japanese paraphrase that the documents word differently as a missing topic', () => {
    const ja = compile([concept('執務エリア', ['執務エリア', '執務室']), concept('入室', ['入室', '入退室'])]);
    expect(absentTopics(ja, [textKey('セキュリティエリアへの入退室はICカードで管理しております')])).toEqual([]);
    const en = compile([concept('office area', ['執務エリア', '執務室'])]);
    expect(absentTopics(en, [textKey('セキュリティエリアへの入退室はICカードで管理しております')])).toEqual(['office area']);
  });

  it('answers, citing the row, when the topic is there', () => {
    const withMark = [...pool, passage('3', 'プライバシーマークの認定を取得しております')];
    const ranked = rank(concepts, withMark.map((p) => ({ passage: p, relevance: 0.5 })), keyOf);
    const d = decide(ranked, { absent: absentTopics(concepts, withMark.map(keyOf)), joint: 0 }, 'ja');
    expect(d.abstained).toBe(false);
    expect(d.hits[0]?.passage.id).toBe('3');
    expect(d.confidence).toBeGreaterThan(0.8);
  });

  it('caps citations to the near-best', () => {
    const many = Array.from({ length: 9 }, (_, i) => passage(String(i + 10), 'プライバシーマークの認定を取得しております'));
    const noise = passage('99', '取得しております');
    const ranked = rank(concepts, [...many, noise].map((p) => ({ passage: p, relevance: 0.5 })), keyOf);
    const d = decide(ranked, { absent: [], joint: 0 }, 'ja');
    expect(d.hits.length).toBe(5);
    expect(d.hits.map((h) => h.passage.id)).not.toContain('99');
  });

  it('does not let the words of one idea, spread over two rows, count as stating it', () => {
    const soc = compile([concept('SOC 2', ['soc2', 'soc 2'])]);
    const rows = [passage('1', 'SOC reports of our provider are available.'), passage('2', 'We use TLS 1.2 everywhere.')];
    const ranked = rank(soc, rows.map((p) => ({ passage: p, relevance: 1 })), keyOf);
    expect(jointCoverage(soc, ranked, keyOf)).toBe(0);
  });

  it('lets two rows answer a two-part question together', () => {
    const two = compile([concept('maintenance', ['メンテナンス']), concept('notice', ['告知', '通知']), concept('outage', ['障害'])]);
    const rows = [passage('1', 'メンテナンスは事前に告知します'), passage('2', '障害は速やかに通知します')];
    const ranked = rank(two, rows.map((p) => ({ passage: p, relevance: 1 })), keyOf);
    expect(Math.max(...ranked.map((h) => h.coverage))).toBeLessThan(0.7);
    expect(jointCoverage(two, ranked, keyOf)).toBe(1);
    const d = decide(ranked, { absent: [], joint: jointCoverage(two, ranked, keyOf) }, 'en');
    expect(d.abstained).toBe(false);
    expect(d.hits).toHaveLength(2);
    // Only the pair answers it: confidence rests on the best single row, and the reason says so.
    expect(d.confidence).toBeLessThan(0.7);
    expect(d.reason).toMatch(/no single passage/);
  });
});

describe('statusFor', () => {
  const concepts = compile([concept('restore', ['復元', 'リストア']), concept('test', ['試験', '検証'])]);
  it('keeps partial when the caveat is about the question', () => {
    const p = passage('1', 'リストア試験は一部の環境でのみ実施しております。', { status: 'partial' });
    expect(statusFor(concepts, p)).toBe('partial');
  });
  it('answers yes when the row’s caveat concerns something else', () => {
    const p = passage('1', '毎日リストア試験を行い復元を確認しております。利用者へのログ提供は行っておりません。', { status: 'partial' });
    expect(statusFor(concepts, p)).toBe('yes');
  });
});
