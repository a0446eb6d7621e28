import { readFile } from 'node:fs/promises';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/corpus/decode.js';
import { MAX_PASSAGE_CHARS, parseMarkdown } from '../../src/corpus/markdown.js';
import { Passage, type ManifestEntry } from '../../src/domain.js';
import { ParseError } from '../../src/errors.js';

const entry: ManifestEntry = {
  file: 'policy-ja.md',
  product: 'sample',
  vendor: '株式会社サンプル',
  title: '情報セキュリティ基本方針',
  format: 'markdown',
  language: 'ja',
};

const fixture = async (): Promise<Passage[]> =>
  parseMarkdown(decodeText(await readFile('test/fixtures/policy-ja.md'), entry.file), entry);

const byRequirement = (passages: Passage[], requirement: string): Passage => {
  const found = passages.find((p) => p.requirement === requirement);
  if (!found) throw new Error(`no passage for "${requirement}" in ${passages.map((p) => p.requirement).join(', ')}`);
  return found;
};

describe('parseMarkdown on the Japanese policy fixture', () => {
  it('emits one valid policy passage per section, located at its heading line', async () => {
    const passages = await fixture();
    expect(passages.map((p) => [p.locator, p.ref, p.sectionPath.join(' > ')])).toEqual([
      ['L7', '', '情報セキュリティ基本方針'],
      ['L12', '1', '情報セキュリティ基本方針 > 1. 適用範囲'],
      ['L18', '2.1', '情報セキュリティ基本方針 > 2. パスワード管理 > 2.1 パスワードの要件'],
      ['L26', '2.2', '情報セキュリティ基本方針 > 2. パスワード管理 > 2.2 多要素認証'],
      ['L31', '3', '情報セキュリティ基本方針 > 3. バックアップ'],
      ['L40', '4', '情報セキュリティ基本方針 > 4. インシデント対応'],
      // Setext heading (附則 underlined with ----) at the same depth as the ## sections; unnumbered, its text is its ref.
      ['L47', '附則', '情報セキュリティ基本方針 > 附則'],
    ]);
    for (const p of passages) {
      expect(Passage.parse(p)).toEqual(p);
      expect(p).toMatchObject({ kind: 'policy', page: null, source: 'policy-ja.md', title: entry.title });
      expect(p.id).toBe(`sample/policy-ja.md#${p.locator}`);
    }
    // A policy has no marks: a section stating its rule reads as done.
    expect(passages.find((p) => p.ref === '2.2')?.status).toBe('yes');
  });

  it('re-joins wrapped Japanese lines without inserting spaces', async () => {
    const intro = byRequirement(await fixture(), '情報セキュリティ基本方針');
    expect(intro.answer).toBe(
      '株式会社サンプル(以下「当社」という。)は、お客様からお預かりした情報資産を保護するため、以下のとおり情報セキュリティ基本方針を定めます。',
    );
  });

  it('keeps list items on their own lines with one marker style', async () => {
    const rules = byRequirement(await fixture(), '2.1 パスワードの要件');
    expect(rules.answer).toBe(
      [
        '利用者のパスワードは、次の要件を満たすものとします。',
        '- 12文字以上であること',
        '- 英大文字、英小文字、数字及び記号のうち3種類以上を含むこと',
        '- 過去5回分のパスワードを再利用しないこと',
      ].join('\n'),
    );
  });

  it('keeps link targets and autolinks, drops emphasis marks', async () => {
    const passages = await fixture();
    expect(byRequirement(passages, '2.2 多要素認証').answer).toBe(
      '管理者権限を持つアカウントには、多要素認証を必須とします。設定手順は社内ポータル (https://intra.example.co.jp/mfa)を参照してください。',
    );
    expect(byRequirement(passages, '4. インシデント対応').answer).toContain(
      'お問い合わせ窓口: https://www.example.co.jp/security/contact',
    );
  });

  it('turns table rows into readable lines without the separator row', async () => {
    const backup = byRequirement(await fixture(), '3. バックアップ');
    expect(backup.answer.split('\n')).toEqual([
      '対象 | 頻度 | 保管期間',
      '業務データベース | 毎日 | 30日',
      'ファイルサーバー | 毎週 | 90日',
      'バックアップデータは暗号化した上で、地理的に離れた別拠点に保管します。',
    ]);
  });

  it('drops front matter and HTML comments from every passage', async () => {
    const text = (await fixture()).map((p) => `${p.requirement}\n${p.answer}`).join('\n');
    expect(text).not.toContain('version');
    expect(text).not.toContain('社内レビュー用メモ');
  });
});

describe('parseMarkdown structure', () => {
  it('splits a long section at paragraph boundaries, each part keeping the heading path', () => {
    const paragraph = (n: number): string => `${n}番目の段落です。${'アクセス権限は四半期ごとに棚卸しを行う。'.repeat(12)}`;
    const body = Array.from({ length: 6 }, (_, i) => paragraph(i + 1)).join('\n\n');
    const passages = parseMarkdown(`# 方針\n\n## 5. アクセス管理\n\n${body}\n`, entry);

    // 249-character paragraphs on lines 5, 7, ... 15: four fit in 1200 characters, the fifth (line 13) starts
    // the second part. The first part is located at its heading, later ones where they start.
    expect(passages.map((p) => p.id)).toEqual(['sample/policy-ja.md#L3', 'sample/policy-ja.md#L13']);
    for (const p of passages) {
      expect(p.sectionPath).toEqual(['方針', '5. アクセス管理']);
      expect(p.ref).toBe('5');
      expect(p.answer.length).toBeLessThanOrEqual(MAX_PASSAGE_CHARS);
    }
    expect(passages.map((p) => p.answer).join('\n')).toBe(Array.from({ length: 6 }, (_, i) => paragraph(i + 1)).join('\n'));
  });

  it('does not mistake front matter for a heading (its closing --- would underline it)', () => {
    const passages = parseMarkdown('---\ntitle: 委託先管理規程\n---\n委託先は年1回評価する。\n', entry);
    expect(passages.map((p) => [p.locator, p.sectionPath, p.answer])).toEqual([['L4', [], '委託先は年1回評価する。']]);
  });

  it('gives an unnumbered section its heading as the ref a reader finds it by, and the document title none', () => {
    const en = { ...entry, file: 'incident.md', title: 'Acme Incident Response', language: 'en' as const };
    const passages = parseMarkdown('# Acme Incident Response\n\nApplies to all staff.\n\n## Incident response\n\nIncidents are triaged within 1 hour.\n\n## 2. Notification\n\nCustomers are notified within 72 hours.\n', en);
    expect(passages.map((p) => [p.requirement, p.ref])).toEqual([
      ['Acme Incident Response', ''],
      ['Incident response', 'Incident response'],
      ['2. Notification', '2'],
    ]);
  });

  it('locates text without any heading at its first line', () => {
    const [only, ...rest] = parseMarkdown('\n\nログは1年間保管する。\n', entry);
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ line: 3, locator: 'L3', id: 'sample/policy-ja.md#L3', sectionPath: [], requirement: '', ref: '' });
  });

  it('takes statute numbering as the ref and ignores numbers that are not numbering', () => {
    const passages = parseMarkdown('## 第3条（目的）\n本文\n## 2024年度の重点施策\n本文\n## (2) 範囲\n本文\n', entry);
    // "2024年度" is no section number: that section is referred to by its heading, as any unnumbered one.
    expect(passages.map((p) => p.ref)).toEqual(['第3条', '2024年度の重点施策', '2']);
  });

  it('does not treat # lines inside fenced code as headings, nor a lone --- as one', () => {
    const text = ['# 手順', '', '```sh', '# ログを確認する', 'tail -f /var/log/auth.log', '```', '', '---', '', '以上。'].join('\n');
    const [only, ...rest] = parseMarkdown(text, entry);
    expect(rest).toEqual([]);
    expect(only?.sectionPath).toEqual(['手順']);
    expect(only?.answer).toBe('# ログを確認する\ntail -f /var/log/auth.log\n以上。');
  });

  it('counts lines the same with CRLF line endings', () => {
    const passages = parseMarkdown('前文\r\n\r\n## 暗号化\r\n通信はTLS 1.2以上で暗号化する。\r\n', entry);
    expect(passages.map((p) => [p.locator, p.answer])).toEqual([
      ['L1', '前文'],
      ['L3', '通信はTLS 1.2以上で暗号化する。'],
    ]);
  });
});

describe('decodeText', () => {
  const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

  it('strips a UTF-8 byte-order mark', () => {
    expect(decodeText(new TextEncoder().encode('\ufeff# 方針'), 'a.md')).toBe('# 方針');
  });

  it('decodes Shift_JIS (CP932) text, including Windows-only characters', () => {
    const sjis = iconv.encode('① パスワードは12文字以上とする。', 'cp932');
    expect(decodeText(sjis, 'legacy.txt')).toBe('① パスワードは12文字以上とする。');
  });

  it('decodes UTF-16LE text saved with a byte-order mark', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('バックアップ', 'utf16le')]);
    expect(decodeText(utf16, 'export.txt')).toBe('バックアップ');
  });

  it('rejects binary files, naming the file', () => {
    const png = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d);
    expect(() => decodeText(png, 'logo.md')).toThrow(ParseError);
    expect(() => decodeText(png, 'logo.md')).toThrow(/^logo\.md: not a text file/);
  });

  it('rejects bytes that are neither UTF-8 nor Shift_JIS instead of guessing', () => {
    // "é " is not a valid Shift_JIS pair, so this Latin-1 text must not be decoded as Japanese.
    const latin1 = Buffer.from('Politique de sécurité des données', 'latin1');
    expect(() => decodeText(latin1, 'fr.txt')).toThrow(/^fr\.txt: not a text file \(neither UTF-8 nor Shift_JIS\)/);
  });

  it('rejects empty and whitespace-only files', () => {
    expect(() => decodeText(bytes(), 'empty.md')).toThrow('empty.md: empty file');
    expect(() => decodeText(new TextEncoder().encode('\ufeff \n\u3000\n'), 'blank.md')).toThrow('blank.md: empty file');
  });
});
