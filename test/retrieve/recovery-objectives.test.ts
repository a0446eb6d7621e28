/**
 * Customers ask for RPO and RTO in plain words: 「どの時点まで戻せますか」 is the recovery point,
 * 「どのくらいで復旧しますか」 the recovery time. Both read the glossary's RPO and RTO lines, whose
 * words a row stating 「RPOは1時間、RTOは4時間」 writes; that row answers, not a row about failure
 * reports that shares 復旧. Made-up sheet and wordings.
 */
import { describe, expect, it } from 'vitest';
import { expandQuery } from '../../src/retrieve/expand.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { sectionSheets } from '../support/sheets.js';

const sheets = {
  maple: [
    ['障害発生時に利用者へ報告すること。', '障害が発生した場合は、復旧の見込みを含めてメールで報告いたします。'],
    ['サポート窓口を設けること。', 'サポートは平日10時から17時まで受け付けております。'],
    ['バックアップ方針を定めること。', 'RPOは1時間、RTOは4時間として運用しております。'],
  ],
} as const;

const { answer } = sectionSheets(sheets);
const variants = (q: string): string[] => expandQuery(q, loadLexicon()).concepts.flatMap((c) => c.variants);

describe('recovery objectives asked in plain words', () => {
  it('read the RPO and RTO lines', () => {
    expect(variants('どの時点まで遡って戻せますか?')).toContain('rpo');
    expect(variants('いつの時点のデータに巻き戻せますか?')).toContain('rpo');
    expect(variants('どのくらいで復旧する見込みですか?')).toContain('rto');
    expect(variants('何時間で復旧しますか?')).toContain('rto');
  });

  it('are answered from the row stating them', async () => {
    const draft = await answer('maple', 'バックアップからは、いつの時点のデータまで戻せますか?');
    expect(draft.abstained).toBe(false);
    expect(draft.citations[0]?.text).toContain('RPOは1時間');
  });
});
