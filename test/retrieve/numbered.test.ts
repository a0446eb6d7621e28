/**
 * A standard, certification or law with a number is its own topic: a row about ISO 27017
 * must not answer "do you have ISO 27001?" because both say "ISMS", nor a SOC 2 report a
 * question about SOC 1. Fixture text is this test's own.
 */
import { describe, expect, it } from 'vitest';
import { expandQuery, numberedName } from '../../src/retrieve/expand.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { absentTopics, compile, coverage, mentions, textKey } from '../../src/retrieve/match.js';

const lexicon = loadLexicon();
const topicsOf = (question: string) => compile(expandQuery(question, lexicon).concepts).filter((c) => c.topic);
const mentioned = (question: string, text: string): boolean[] => topicsOf(question).map((c) => mentions(c, textKey(text)));

describe('numbered named things', () => {
  it('reads the family and number of a name as questions write it', () => {
    expect(numberedName('ISO/IEC 27001')).toEqual({ family: 'iso', number: '27001' });
    expect(numberedName('NIST 800 171')).toEqual({ family: 'nist', number: '800-171' });
    expect(numberedName('SOC 2 Type II')).toEqual({ family: 'soc', number: '2' });
    expect(numberedName('ISMAP')).toBeNull();
  });

  it('does not take a sibling standard that shares a word for the one asked about', () => {
    // The sibling row says ISMS too, the shared word of the ISO 27001 glossary entry.
    expect(mentioned('Is the company certified to ISO 27001?', '当社はISMSクラウドセキュリティ認証を取得済みです。')).toEqual([false]);
    expect(mentioned('Is the company certified to ISO 27001?', '認証規格 ISO/IEC 27001:2022、登録番号 XY-0001')).toEqual([true]);
    // A row naming both numbers is evidence for each.
    expect(mentioned('Is the company certified to ISO 27001?', 'ISO/IEC 27001 と ISO/IEC 27017 の認証を保有')).toEqual([true]);
    // A row that names no number still counts through the shared word.
    expect(mentioned('Is the company certified to ISO 27001?', 'ISMS認証を維持しています')).toEqual([true]);
  });

  it('tells numbers of one family apart in the row text', () => {
    expect(mentioned('Are you aligned with NIST 800-171?', '管理策は NIST SP 800-53 rev5 に沿っています')).toEqual([false]);
    expect(mentioned('Are you aligned with NIST 800-171?', '管理策は NIST SP800-171 に沿っています')).toEqual([true]);
    expect(mentioned('Can you share a SOC 1 report?', 'SOC2 Type2 の保証報告書を年次で提供')).toEqual([false]);
    expect(mentioned('Can you share a SOC 1 report?', 'SOC 1 の保証報告書を提供')).toEqual([true]);
  });

  it('finds the topic absent, and the row uncovered, when only a sibling is documented', () => {
    const concepts = topicsOf('Do you hold ISO 27001?');
    const pool = [textKey('当社はISMSクラウドセキュリティ認証を取得済みです。'), textKey('バックアップは毎日取得します。')];
    expect(absentTopics(concepts, pool)).toEqual(['ISO 27001']);
    expect(coverage(concepts, pool[0] ?? textKey(''))).toBe(0);
  });
});

describe('versions with a dot', () => {
  const rows = {
    spaced: 'ウェブ画面との通信は HTTPS (TLS 1.2) で保護しています。',
    glued: '管理画面への接続はTLS1.2以上に限定しています。',
    prefixed: 'API は TLSv1.2 でのみ受け付けます。',
    newer: '外部との通信は TLS 1.3 に統一済みです。',
  };

  it('keeps the version whole in the question, however the question writes it', () => {
    for (const q of ['Do you use TLS 1.2?', 'Is traffic protected with TLSv1.2?', 'Do you support TLS version 1.2?', 'Is TLS v1.2 enforced?']) {
      expect(topicsOf(q).map((c) => c.source)).toEqual(['TLS 1.2']);
    }
    expect(numberedName('TLS 1.2')).toEqual({ family: 'tls', number: '1.2' });
  });

  it('finds the version in a row whichever way the row spells it', () => {
    for (const q of ['Do you use TLS 1.2?', 'Is data encrypted in transit with TLSv1.2 or higher?', 'TLS1.2で通信を暗号化していますか']) {
      expect(mentioned(q, rows.spaced)).toEqual([true]);
      expect(mentioned(q, rows.glued)).toEqual([true]);
      expect(mentioned(q, rows.prefixed)).toEqual([true]);
    }
  });

  it('tells one version from another', () => {
    expect(mentioned('Do you use TLS 1.2?', rows.newer)).toEqual([false]);
    expect(mentioned('Do you support TLSv1.3?', rows.newer)).toEqual([true]);
    expect(mentioned('Do you support TLSv1.3?', rows.spaced)).toEqual([false]);
  });

  it('still reads numbers joined by a hyphen or a space as one standard', () => {
    expect(topicsOf('Are you aligned with NIST 800-171?').map((c) => c.source)).toEqual(['NIST 800 171']);
    expect(numberedName('NIST 800 171')).toEqual({ family: 'nist', number: '800-171' });
  });
});
