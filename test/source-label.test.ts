/**
 * How a reader is told where an answer comes from: the document's title and the place in it they
 * can find. A numbered row is named by its number, a PDF passage by its page, and a passage with
 * neither (a sheet's preamble, the line with its certification number) by its opening words, so two
 * such passages of one sheet are never named alike and either can be found by search.
 */
import { describe, expect, it } from 'vitest';
import { sourceLabel } from '../src/source-label.js';

const title = 'hoshiセキュリティチェックシート';

describe('sourceLabel', () => {
  it('names a numbered row by its number and a PDF passage by its page', () => {
    expect(sourceLabel({ source: 'hoshi.txt', locator: 'L40', ref: '4-2', title, text: 'アクセスログを取得しています。' })).toBe(`${title} 4-2`);
    expect(sourceLabel({ source: 'policy.pdf', locator: 'p.3', ref: '', title: '情報セキュリティ基本方針', text: '当社は…' })).toBe('情報セキュリティ基本方針 p.3');
  });

  it('names two unnumbered passages of one sheet apart, by their opening words', () => {
    const preamble = sourceLabel({ source: 'hoshi.txt', locator: 'L1', ref: '', title, text: '本チェックシートは、hoshiクラウドの安全性と信頼性に関する情報を記載したものです。' });
    const certificate = sourceLabel({ source: 'hoshi.txt', locator: 'L3', ref: '', title, text: '認証番号:XX-0000 認証規格:ISO/IEC 27001:2022' });
    expect(preamble).toBe(`${title}「本チェックシートは、hoshiクラウドの…」`);
    expect(certificate).toBe(`${title}「認証番号:XX-0000 認証規格:IS…」`);
    expect(sourceLabel({ source: 'hoshi.txt', locator: 'L5', ref: '', title, text: '  短い行\n' })).toBe(`${title}「短い行」`);
  });

  it('keeps the file and line where no title is known, as citations recorded before titles were kept', () => {
    expect(sourceLabel({ source: 'hoshi.txt', locator: 'L53', ref: '6-15' })).toBe('hoshi.txt L53 (6-15)');
  });
});
