import { describe, expect, it } from 'vitest';
import { parseQaSheet } from '../../src/corpus/qa-sheet.js';
import { ManifestEntry, Passage } from '../../src/domain.js';
import { ParseError } from '../../src/errors.js';
import { fixture } from './helpers.js';

const entry = (file: string, extra: Partial<ManifestEntry> = {}): ManifestEntry =>
  ManifestEntry.parse({ file, product: 'krew', title: '過去回答', format: file.endsWith('.csv') ? 'qa-csv' : 'qa-xlsx', language: 'ja', ...extra });

describe('parseQaSheet', () => {
  it('turns each answered row of an xlsx into a qa passage with status, section and number', async () => {
    const passages = await parseQaSheet(fixture('questionnaire-answered-ja.xlsx'), entry('answered/2023.xlsx'));
    for (const p of passages) expect(Passage.safeParse(p).success).toBe(true);
    expect(passages.map((p) => [p.locator, p.ref, p.status])).toEqual([
      ['回答済み!R3', '1-1', 'yes'],
      ['回答済み!R4', '1-2', 'partial'],
      ['回答済み!R6', '2-1', 'no'],
      ['回答済み!R7', '2-2', 'not_applicable'],
      // R8 has no answer: not evidence of anything
    ]);
    expect(passages[0]).toEqual({
      id: 'krew/answered/2023.xlsx#回答済み!R3',
      product: 'krew',
      kind: 'qa',
      source: 'answered/2023.xlsx',
      title: '過去回答',
      locator: '回答済み!R3',
      line: null,
      page: null,
      sectionPath: ['回答済み', '1. アクセス管理'],
      ref: '1-1',
      requirement: '管理者に多要素認証を求めていますか。',
      answer: '全管理者にワンタイムパスワードを必須としています。',
      status: 'yes',
    });
    expect(passages[3]?.answer).toBe('該当なし'); // a mark alone still says something
  });

  it('reads statuses from the answer text of a CSV and keeps the comment in the answer', async () => {
    const passages = await parseQaSheet(fixture('questionnaire-answered-en.csv'), entry('past.csv', { language: 'en' }));
    expect(passages.map((p) => p.status)).toEqual(['yes', 'not_applicable', 'partial', 'no']);
    expect(passages[0]?.answer).toBe('Yes, all backups are encrypted with AES-256.\nKeys are held in a KMS.');
    expect(passages[0]?.locator).toBe('past!R2'); // a CSV's one sheet is named after the file
    expect(passages[0]?.ref).toBe('');
  });

  it('honours the manifest overrides and names the file in errors', async () => {
    const byColumn = await parseQaSheet(
      fixture('questionnaire-answered-en.csv'),
      entry('past.csv', { language: 'en', questionColumn: 1, answerColumn: 'Comments' }),
    );
    expect(byColumn[0]?.answer).toContain('Keys are held in a KMS.');
    await expect(parseQaSheet(fixture('questionnaire-answered-ja.xlsx'), entry('a.xlsx', { sheet: 'Nope' }))).rejects.toThrow(/a\.xlsx.*no sheet "Nope"/);
    await expect(parseQaSheet(fixture('questionnaire-answered-en.csv'), entry('a.xlsx', { format: 'qa-xlsx' }))).rejects.toBeInstanceOf(ParseError);
    await expect(parseQaSheet(fixture('questionnaire-ja.xlsx'), entry('blank.xlsx'))).rejects.toThrow(/none is answered/);
  });
});
