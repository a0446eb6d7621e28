/**
 * The approved text and Source line a customer reads (trial s11, finding 10): an English draft
 * names its source followed by the glossary's tags for the reviewer ("item 6-8 of our published
 * krew security checksheet (covers: configuration management, backup, database)"), which a customer reads
 * as part of the document's name; and the Source line named every cited row, also one the answer
 * never quotes (contract-end deletion under a backup answer). Neither leaves any more.
 */
import { describe, expect, it } from 'vitest';
import type { Citation } from '../../src/domain.js';
import { customerAnswerText, customerSourceNote, restingCitations, type PublicSource } from '../../src/export/sources.js';

const BACKUP: Citation = {
  id: 'krew/krew.txt#L84',
  kind: 'control',
  source: 'krew.txt',
  locator: 'L84',
  ref: '6-8',
  title: 'krewセキュリティチェックシート',
  text: 'クラウドサービス利用者の情報、ソフトウェア及びソフトウェアの設定について定期的にバックアップを取得し、検査すること。\nkrewDataにおいてデータベースに保管されるお客様の設定情報は、日次でバックアップを取得しています。',
  score: 0.9,
};
const DELETION: Citation = { ...BACKUP, id: 'krew/krew.txt#L120', locator: 'L120', ref: '6-30', text: '契約終了時のデータ消去。\n契約終了から30日後に設定情報を消去します。', score: 0.4 };

const APPROVED = [
  'Possibly yes: the closest evidence is item 6-8 of our published krew security checksheet (covers: configuration management, backup, database), which may not fully answer the question.',
  '',
  'Japanese original (krewセキュリティチェックシート 6-8):',
  '> krewDataにおいてデータベースに保管されるお客様の設定情報は、日次でバックアップを取得しています。',
].join('\n');

const source = (c: Citation): PublicSource => ({ kind: 'control', title: c.title ?? '', vendor: 'メシウス株式会社', url: null, ref: c.ref, page: null, section: '', quote: c.text });

describe('the text a customer reads', () => {
  it('leaves out the glossary tags after the source, and nothing else', () => {
    const text = customerAnswerText(APPROVED, [BACKUP, DELETION], new Map());
    expect(text.split('\n')[0]).toBe('Possibly yes: the closest evidence is item 6-8 of our published krew security checksheet, which may not fully answer the question.');
    expect(text.split('\n').slice(1)).toEqual(APPROVED.split('\n').slice(1));
  });

  it('keeps a parenthesis that is not the tags of a cited row (the approver’s own words)', () => {
    const own = 'Yes. Backups are taken daily (seven generations are kept).';
    expect(customerAnswerText(own, [BACKUP], new Map())).toBe(own);
    const named = 'Yes. Covered by item 6-8 of our published krew security checksheet (retention).';
    expect(customerAnswerText(named, [BACKUP], new Map())).toBe(named);
  });

  it('names as sources only the rows the answer quotes, not rows merely cited beside them', () => {
    const resting = restingCitations(APPROVED, [BACKUP, DELETION]);
    expect(resting.map((c) => c.ref)).toEqual(['6-8']);
    expect(customerSourceNote(resting.map(source), 'en')).toBe('Source: krewセキュリティチェックシート (メシウス株式会社), item 6-8');
  });

  it('an answer in its own words, quoting no row, rests on every row it cites', () => {
    const own = 'Yes. Customer settings are backed up every day and kept for seven generations.';
    expect(restingCitations(own, [BACKUP, DELETION]).map((c) => c.ref)).toEqual(['6-8', '6-30']);
  });
});
