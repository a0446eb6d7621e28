import { describe, expect, it } from 'vitest';
import type { Passage } from '../../src/domain.js';
import type { Concept } from '../../src/retrieve/expand.js';
import { absentTopics, compile, conceptIdf, coverage, idfCoverage, statusFor, textKey, unmentionedShare } from '../../src/retrieve/match.js';

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

describe('named topics', () => {
  const keyOf = (p: Passage) => textKey(p.answer);
  const pool = [passage('1', 'ISO/IEC 27001 の認証を取得しております'), passage('2', '通信は暗号化しております')];

  it('are standards, certifications and acronyms the question names; absent ones are reported', () => {
    const concepts = compile([concept('PrivacyMark', ['プライバシーマーク']), concept('SOC 2', ['soc2', 'soc 2']), concept('certification', ['認証'])]);
    expect(concepts.map((c) => c.topic)).toEqual([false, true, false]);
    expect(absentTopics(concepts, pool.map(keyOf))).toEqual(['SOC 2']);
  });

  it('are never ordinary words the lexicon does not know, in either language', () => {
    const concepts = compile([concept('libraries', ['ライブラリ'], 1, 'literal'), concept('upload', ['アップロード'], 1, 'literal'), concept('customer data', ['顧客データ'])]);
    expect(concepts.some((c) => c.topic)).toBe(false);
    expect(absentTopics(concepts, pool.map(keyOf))).toEqual([]);
  });

  it('counts a name with a number as named (ISO 27001, NIST 800-53)', () => {
    const concepts = compile([concept('NIST 800-53', ['nist', 'sp800-53']), concept('ISO 27001', ['iso27001', '27001'])]);
    expect(concepts.every((c) => c.topic)).toBe(true);
    expect(absentTopics(concepts, pool.map(keyOf))).toEqual(['NIST 800-53']);
  });
});

describe('how telling an idea is', () => {
  const concepts = compile([concept('backup', ['バックアップ']), concept('bug bounty', ['報奨金'])]);
  const pool = ['バックアップを取得', 'バックアップを保管', '通信を暗号化'].map(textKey);

  it('weighs an idea by its rarity: one nobody mentions weighs most and cannot be covered', () => {
    const idf = conceptIdf(concepts, pool);
    expect(idf[1]).toBeGreaterThan(idf[0] ?? Infinity);
    expect(idfCoverage(concepts, idf, textKey('バックアップを取得'))).toBeLessThan(coverage(concepts, textKey('バックアップを取得')));
    expect(unmentionedShare(concepts, pool)).toBeCloseTo(0.5);
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
