/**
 * A software bill of materials is a document a vendor hands over or does not; a sheet that never
 * names one does not answer "can you share an SBOM?", whatever row mentions a third party (an
 * auditor's report, a supplier) or components. The acronym and its spelled-out name are one
 * thing, and a component or a library is not it. Made-up sheet and wordings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retrieve } from '../../src/judge/retrieval.js';
import { sectionStore } from '../support/corpus.js';

const texts: Array<[string, string]> = [
  ['外部委託先を管理すること。', 'クラウド基盤事業者は、サードパーティーによる審査報告書を公開しております。'],
  ['利用するソフトウェアの脆弱性を管理すること。', '利用しているオープンソースのライブラリは、脆弱性情報を確認して更新しております。'],
];

let sheet: Awaited<ReturnType<typeof sectionStore>>;
beforeAll(async () => {
  sheet = await sectionStore('lepus', 'Lepus checksheet', texts);
}, 60_000);
afterAll(() => sheet.close());

describe('a software bill of materials', () => {
  it('is declined by a sheet that names none, in either spelling', async () => {
    for (const q of ['Can you provide an SBOM for the product?', 'Can you share a software bill of materials (SBOM) for the service?', 'ソフトウェア部品表(SBOM)を提供してもらえますか?']) {
      const r = await retrieve(sheet.deps(), q, 'lepus');
      expect(r.abstained, q).toBe(true);
    }
  });

  it('leaves questions about open-source libraries to the row about them', async () => {
    const r = await retrieve(sheet.deps(), 'How do you manage vulnerabilities in the open-source libraries you use?', 'lepus');
    expect(r.abstained).toBe(false);
    expect(r.hits[0]?.passage.answer).toContain('オープンソース');
  });
});
