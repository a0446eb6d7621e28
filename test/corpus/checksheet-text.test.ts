import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ManifestEntry, Passage, type Passage as PassageType } from '../../src/domain.js';
import { ParseError } from '../../src/errors.js';
import { parseChecksheetText } from '../../src/corpus/checksheet-text.js';

const corpus = new URL('../../corpus/', import.meta.url);
const manifest: ManifestEntry[] = (JSON.parse(readFileSync(new URL('manifest.json', corpus), 'utf8')) as unknown[]).map(
  (entry) => ManifestEntry.parse(entry),
);

function entryFor(file: string): ManifestEntry {
  const entry = manifest.find((e) => e.file === file);
  if (entry === undefined) throw new Error(`${file} is not in corpus/manifest.json`);
  return entry;
}

const sources = new Map(manifest.map((entry) => [entry.file, readFileSync(new URL(entry.file, corpus), 'utf8')]));
const all = new Map(manifest.map((entry) => [entry.file, parseChecksheetText(sources.get(entry.file) ?? '', entry)]));
/** Table rows; the statements above the table are tested on their own below. */
const parsed = new Map([...all].map(([file, passages]) => [file, passages.filter((p) => p.kind === 'control')]));

function at(file: string, line: number): PassageType {
  const passage = parsed.get(file)?.find((p) => p.line === line);
  if (passage === undefined) throw new Error(`no passage at ${file}:${line}`);
  return passage;
}

/**
 * Independent row count: a line whose first tab-separated cell is nothing but a row number
 * ("12", "6-15") is a row. Headings ("2 雇用期間中"), repeated "No." headers and page titles
 * never match, so nothing needs subtracting. Rows whose number OCR destroyed are counted
 * separately: an empty or one-letter first cell followed by a requirement, an OCR'd mark
 * (0 / Δ) and an answer.
 */
function countRows(text: string): { numbered: number; lostNumber: number[] } {
  const lines = text.split('\n');
  const numbered = lines.filter((line) => /^\s*\d+(?:-\d+)*\t/.test(line)).length;
  const lostNumber = lines.flatMap((line, index) =>
    /^[A-Za-z]?\t[^\t]{10,}\t[0Δ○]\t\S/.test(line) ? [index + 1] : [],
  );
  return { numbered, lostNumber };
}

describe('parseChecksheetText on the sample corpus', () => {
  it.each(manifest.map((entry) => entry.file))('%s: one passage per table row', (file) => {
    const { numbered, lostNumber } = countRows(sources.get(file) ?? '');
    const passages = parsed.get(file) ?? [];
    expect(passages).toHaveLength(numbered + lostNumber.length);
    for (const line of lostNumber) expect(passages.map((p) => p.line)).toContain(line);
  });

  it('parses the expected number of rows in each file', () => {
    // The three METI-based sheets each have the guideline's 71 items.
    expect(Object.fromEntries([...parsed].map(([file, passages]) => [file, passages.length]))).toEqual({
      'cybozu.txt': 71,
      'krew.txt': 71,
      'qloba-page.txt': 71,
      'monocone.txt': 86,
      'sla-checklist.txt': 65,
    });
  });

  it('gives every passage a schema-valid shape, a unique id and a unique ref within its file', () => {
    const ids = new Set<string>();
    for (const [file, passages] of parsed) {
      const entry = entryFor(file);
      const refs = new Set<string>();
      for (const p of passages) {
        expect(() => Passage.parse(p)).not.toThrow();
        expect(p).toMatchObject({ kind: 'control', source: file, product: entry.product, title: entry.title, page: null });
        expect(p.id).toBe(`${entry.product}/${file}#L${p.line}`);
        expect(p.locator).toBe(`L${p.line}`);
        expect(ids.has(p.id)).toBe(false);
        expect(refs.has(p.ref)).toBe(false);
        ids.add(p.id);
        refs.add(p.ref);
      }
    }
  });

  it('points each passage at the line that holds the row', () => {
    for (const [file, passages] of parsed) {
      const lines = (sources.get(file) ?? '').split('\n');
      for (const p of passages) {
        const cells = (lines[(p.line ?? 0) - 1] ?? '').split('\t');
        // The requirement text (without a carried-down item prefix) is on that line.
        const own = p.requirement.includes(': ') ? p.requirement.slice(p.requirement.indexOf(': ') + 2) : p.requirement;
        expect(cells.join(' ').normalize('NFKC').replace(/\s+/g, '')).toContain(own.slice(0, 15).replace(/\s+/g, ''));
      }
    }
  });

  it('leaves no HTML tags but keeps link targets as text', () => {
    for (const passages of parsed.values()) {
      for (const p of passages) {
        expect([p.requirement, p.answer, ...p.sectionPath].join('\n')).not.toMatch(/<\/?[a-z][^>]*>/i);
      }
    }
    expect(at('cybozu.txt', 31).answer).toContain('https://cybozu.co.jp/company/internal-control/');
    expect(at('krew.txt', 78).answer).toContain('https://krew.statuspal.io/');
    expect(at('sla-checklist.txt', 66).answer).toContain('・セキュリティグループを用いて必要最低限の通信のみを許可');
  });

  it('reads cybozu: ○ marks, bold and plain headings at two levels, composed refs', () => {
    expect(at('cybozu.txt', 27)).toMatchObject({ ref: '1-1', sectionPath: ['1 情報セキュリティのための方針群'], status: 'yes' });
    expect(at('cybozu.txt', 33)).toMatchObject({
      ref: '2-1-3',
      sectionPath: ['2 情報セキュリティのための組織', '1 内部組織'],
    });
    // "2 雇用期間中" is not bold and still a subsection of 3; "4 資産の管理" is a chapter again.
    expect(at('cybozu.txt', 41)).toMatchObject({ ref: '3-2-1', sectionPath: ['3 人的資源のセキュリティ', '2 雇用期間中'] });
    expect(at('cybozu.txt', 46)).toMatchObject({ ref: '4-1', sectionPath: ['4 資産の管理'] });
    expect(at('cybozu.txt', 46).requirement).toMatch(/^情報資産について明確にし/);
    expect(at('cybozu.txt', 47).answer).toBe('');
    expect(at('cybozu.txt', 63).status).toBe('partial'); // ※
    expect(at('cybozu.txt', 95)).toMatchObject({ ref: '8-3', status: 'partial' }); // ○, 但し…していません
    expect(at('cybozu.txt', 116)).toMatchObject({ ref: '11-6', sectionPath: ['11 その他'] });
  });

  it('reads krew: its own refs, marks merged into the answer cell and inside <li>', () => {
    expect(at('krew.txt', 43)).toMatchObject({
      ref: '2-1-1',
      sectionPath: ['2 情報セキュリティのための組織', '2-1 内部組織'],
      status: 'yes',
    });
    const merged = at('krew.txt', 62);
    expect(merged).toMatchObject({ ref: '5-1', status: 'yes' });
    expect(merged.answer).toMatch(/^情報資産がある領域/);
    const inList = at('krew.txt', 84);
    expect(inList).toMatchObject({ ref: '6-15', status: 'yes' });
    expect(inList.answer).toMatch(/^システムのアカウントについては/);
    expect(at('krew.txt', 78).answer).not.toContain('○');
    expect(at('krew.txt', 69).answer).not.toContain('○');
    // An explicit ○ stands even when the text says the item is AWS's responsibility.
    // ○, but "※krewSheet/krewDashboard … 対象外": done for some of the products only.
    expect(at('krew.txt', 64).status).toBe('partial');
    expect(at('krew.txt', 86)).toMatchObject({ ref: '6-16', status: 'partial' }); // △
    expect(at('krew.txt', 89)).toMatchObject({ ref: '6-19', status: 'partial' }); // -
    expect(at('krew.txt', 129)).toMatchObject({ ref: '11-6', status: 'no' }); // ×
    expect(at('krew.txt', 101).status).toBe('partial'); // ○, 証明書は発行しておりません
  });

  it('reads monocone: 対策項目: 対策要件, unnumbered subsections, status from text alone', () => {
    const first = at('monocone.txt', 14);
    expect(first).toMatchObject({
      ref: '1-1',
      sectionPath: ['1. 情報セキュリティへの組織的取組の基本方針', '組織の基本的な方針を定めた文書'],
      status: 'yes',
    });
    expect(first.requirement).toMatch(/^方針の作成・承認・配布: クラウドサービス事業者は/);
    // Row numbers run on across subsections of a chapter.
    expect(at('monocone.txt', 47)).toMatchObject({ ref: '4-14', sectionPath: ['4. 情報資産の管理', '構成管理'] });
    // Chapter 8 restarts at 1 under 保守: the second "8-1" is told apart.
    expect(at('monocone.txt', 71).ref).toBe('8-1');
    expect(at('monocone.txt', 73)).toMatchObject({ ref: '8-1(2)', status: 'no' }); // 文書化したものはありません。今後作成予定
    expect(at('monocone.txt', 99).status).toBe('partial'); // 取得しております。ただし…実施していません
    expect(at('monocone.txt', 71).answer).toContain('https://stpincpublicprod.z11.web.core.windows.net/monocone_userpolicy_r1.pdf');
  });

  it('reads qloba-page: OCR-split headings, 0 marks, rows whose number was lost', () => {
    expect(at('qloba-page.txt', 9)).toMatchObject({ ref: '1-1', sectionPath: ['1情報セキュリティのための方針群'], status: 'yes' });
    expect(at('qloba-page.txt', 10).status).toBe('yes'); // no mark, "見直しを行っております"
    expect(at('qloba-page.txt', 13).sectionPath).toEqual(['2 情報セキュリティのための組織', '2-1 内部組織']);
    expect(at('qloba-page.txt', 22).sectionPath).toEqual(['3人的資原のセキュリティ', '3-2 雇用期間中']);
    expect(at('qloba-page.txt', 75).sectionPath).toEqual(['8 情報セキュリティ事象・情報セキュリティインシデント']);
    expect(at('qloba-page.txt', 93).sectionPath).toEqual(['11 その他']);
    // L27 has an empty number cell, L46 reads "g" for 9.
    expect(at('qloba-page.txt', 27)).toMatchObject({ ref: '4-1', status: 'yes' });
    expect(at('qloba-page.txt', 27).requirement).toMatch(/^情報資産について明確にし/);
    expect(at('qloba-page.txt', 46)).toMatchObject({ ref: '6-9', status: 'yes' });
    // The sheet prints "5" twice; the second chapter is numbered 6 in refs.
    expect(at('qloba-page.txt', 38)).toMatchObject({ ref: '6-1', sectionPath: ['5 運用のセキュリティ・アクセス制御'] });
    expect(at('qloba-page.txt', 52).status).toBe('partial'); // Δ
    expect(parsed.get('qloba-page.txt')?.some((p) => p.line === 48)).toBe(false); // a stray "T"
  });

  it('reads the SLA layout: carried-down 種別 and サービスレベル項目, values as answers, page furniture skipped', () => {
    expect(at('sla-checklist.txt', 7)).toMatchObject({
      ref: '2',
      sectionPath: ['契約', '契約条項'],
      requirement: '利用規約: データ消失対策について規定されていること',
      answer: '利用規約に記載',
      status: 'yes',
    });
    expect(at('sla-checklist.txt', 15)).toMatchObject({
      ref: '9',
      sectionPath: ['アプリケーション運用', '可用性'],
      answer: '24時間366日(計画停止/定期保守を除く)',
      status: 'yes',
    });
    expect(at('sla-checklist.txt', 15).requirement).toMatch(/^サービス時間: サービスを提供する時間帯/);
    expect(at('sla-checklist.txt', 16).answer).toMatch(/^3営業日前には/); // ○ is a mark, not part of the answer
    // A page break (title and header repeated) does not end the carried 種別 and item.
    expect(at('sla-checklist.txt', 33)).toMatchObject({
      ref: '24',
      sectionPath: ['アプリケーション運用', '信頼性'],
      requirement: 'ログ管理: 参照または提示可能な障害ログの期間',
      answer: '2年間',
    });
    // A row the extractor shifted one cell to the right.
    expect(at('sla-checklist.txt', 49)).toMatchObject({
      requirement: 'バックアップ世代数: 保証する世代数',
      answer: '20世代',
    });
    // A new section heading ends the carried 種別.
    expect(at('sla-checklist.txt', 59).sectionPath).toEqual(['セキュリティ']);
    const lines = parsed.get('sla-checklist.txt')?.map((p) => p.line) ?? [];
    for (const furniture of [3, 4, 30, 31, 52, 53, 69, 71, 85, 87]) expect(lines).not.toContain(furniture);
  });
});

describe('parseChecksheetText on other input', () => {
  const entry = ManifestEntry.parse({
    file: 'vendor.txt',
    product: 'vendor',
    title: 'Vendor checksheet',
    format: 'checksheet-text',
    language: 'ja',
  });

  it('rejects an empty file, naming it', () => {
    expect(() => parseChecksheetText('', entry)).toThrow(ParseError);
    expect(() => parseChecksheetText(' \n\n', entry)).toThrow(/vendor\.txt/);
  });

  it('rejects binary data and text without a table, naming the file', () => {
    const binary = '%PDF-1.7\n\u0000\u0001\u0002stream\u00ff\u00fe\n';
    expect(() => parseChecksheetText(binary, entry)).toThrow(ParseError);
    expect(() => parseChecksheetText(binary, entry)).toThrow(/vendor\.txt/);
    const garbage = '\ufffd\ufffdx\u0007\ufffd\t\ufffd\n\u001b[0m\ufffd\tQ\t\ufffd\n';
    expect(() => parseChecksheetText(garbage, entry)).toThrow(ParseError);
    expect(() => parseChecksheetText(garbage, entry)).toThrow(/vendor\.txt/);
  });

  it('rejects a table header with no rows under it', () => {
    expect(() => parseChecksheetText('確認事項\t実施有無\t備考\n\n総則\t\t\n', entry)).toThrow(/vendor\.txt.*no numbered rows/);
  });

  it('appends a wrapped continuation line to its row', () => {
    const text = [
      'No.\t確認事項\t実施有無\t備考',
      '1\tパスワードを管理すること。\t○\t管理しております。',
      '\t\t\t有効期限も設定しております。',
      '2\tラベル付け機能があること。\t×\t提供しておりません。',
    ].join('\n');
    const passages = parseChecksheetText(text, entry);
    expect(passages.map((p) => p.ref)).toEqual(['1', '2']);
    expect(passages[0]?.answer).toBe('管理しております。 有効期限も設定しております。');
    expect(passages[1]).toMatchObject({ line: 4, status: 'no' });
  });
});

describe('statements above the table', () => {
  it('become policy passages under their ◆ heading, so certifications can be cited', () => {
    const krew = (all.get('krew.txt') ?? []).filter((p) => p.kind === 'policy');
    const cert = krew.find((p) => p.answer.includes('JQA-IM1900'));
    expect(cert?.sectionPath.at(-1)).toBe('ISO27001の認証について');
    // The number alone states nothing; the sentence above it says the certificate is held.
    expect(cert?.status).toBe('yes');
    expect(cert?.locator).toMatch(/^L\d+$/);
    expect(cert && sources.get('krew.txt')?.split('\n')[(cert.line ?? 0) - 1]).toContain('JQA-IM1900');
    // Every preamble passage sits above the table header.
    const firstRow = Math.min(...(parsed.get('krew.txt') ?? []).map((p) => p.line ?? Infinity));
    expect(krew.every((p) => (p.line ?? Infinity) < firstRow)).toBe(true);
    expect(krew.some((p) => p.answer.includes('<') || p.answer.startsWith('◆'))).toBe(false);
  });
});
