/**
 * A question's compound names one idea: its last word matched in a row only inside ANOTHER
 * compound (健康診断 asked, 脆弱性診断 in the row) does not cover it, and an acronym the
 * question spells out means what the spelling says. Users saw confident answers about staff
 * health checks from vulnerability-scan rows and about a monitoring centre from SOC-report rows.
 */
import { describe, expect, it } from 'vitest';
import type { Concept } from '../../src/retrieve/expand.js';
import { expandQuery } from '../../src/retrieve/expand.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { compile, coverage, mentions, textKey } from '../../src/retrieve/match.js';
import { withModifiers } from '../../src/retrieve/compound-head.js';
import { questionGrams } from '../../src/retrieve/retrieve.js';
import { withSpelledAcronyms } from '../../src/retrieve/spelled-acronym.js';

const concept = (source: string, variants: string[], weight = 1, origin: Concept['origin'] = 'glossary'): Concept => ({ source, variants, weight, origin });
const audit = concept('監査', ['監査', '内部監査', '外部監査']);

describe('the last word of a compound in the question', () => {
  it('is covered by a row writing the same compound or the word on its own, not by another compound', () => {
    const [asked] = compile(withModifiers('会計監査の結果は開示されますか', [audit]));
    expect(asked).toBeDefined();
    if (!asked) return;
    expect(mentions(asked, textKey('内部監査を年に一度実施しています'))).toBe(false);
    expect(mentions(asked, textKey('外部の監査法人による会計監査を受けています'))).toBe(true);
    expect(mentions(asked, textKey('会計について監査を受けています'))).toBe(true);
  });

  it('needs the row to say what the compound says: a bare head in a row about something else does not cover it', () => {
    const [asked] = compile(withModifiers('会計監査の結果は開示されますか', [audit]));
    if (!asked) throw new Error('no concept');
    expect(mentions(asked, textKey('監査の結果は報告しています'))).toBe(false);
  });

  it('leaves a word the question writes alone, first in its compound, after a count, or a light noun unchanged', () => {
    const keep = (q: string, c: Concept): boolean => compile(withModifiers(q, [c]))[0]?.compound === null;
    expect(keep('監査の結果は開示されますか', audit)).toBe(true);
    expect(keep('監査報告書は開示されますか', audit)).toBe(true);
    const retention = concept('保持', ['保持', 'ログ保持']);
    expect(keep('ログは90日以上保持されますか', retention)).toBe(true);
    expect(keep('ログは何世代保持されますか', retention)).toBe(true);
    expect(keep('会計監査機能はありますか', concept('機能', ['機能', '管理機能'], 0.7))).toBe(true);
    // A head with no narrower spelling in the lexicon keeps every row's use of it.
    expect(keep('会計監査の結果', concept('監査', ['監査', 'オーディット']))).toBe(true);
  });

  it('reads a staff health check apart from a vulnerability scan with the shipped lexicon', () => {
    const q = '社員が毎年受ける健康診断の記録はどう保管していますか';
    const concepts = withModifiers(q, expandQuery(q, loadLexicon()).concepts);
    const head = concepts.find((c) => c.source === '診断');
    expect(head?.modifier).toBe('健康');
    const compiled = compile(concepts);
    const scanRow = textKey('外部の専門業者による脆弱性診断を年1回実施し、記録を保管しています。');
    const healthRow = textKey('従業員には年1回の定期健康診断を受診させ、記録を人事部で保管しています。');
    expect(coverage(compiled, healthRow)).toBeGreaterThan(coverage(compiled, scanRow) + 0.3);
    // The glossary's spellings of 診断 (脆弱性…) are another sense: they are not shared wording either.
    const grams = questionGrams(q, 'ja', concepts);
    expect(grams.has('脆弱')).toBe(false);
  });
});

describe('an acronym the question spells out', () => {
  const lexicon = loadLexicon();
  const soc = (q: string): ReturnType<typeof compile>[number] | undefined =>
    compile(withSpelledAcronyms(q, expandQuery(q, lexicon).concepts, lexicon)).find((c) => /\bsoc\b/i.test(c.source) && !/security/i.test(c.source));
  const spelled = (q: string): ReturnType<typeof compile>[number] | undefined =>
    compile(withSpelledAcronyms(q, expandQuery(q, lexicon).concepts, lexicon)).find((c) => c.source.endsWith('(SOC)'));

  it('means what its spelling says, not the glossary’s sense of the bare acronym', () => {
    const asked = spelled('Do you staff a security operations centre (SOC) overnight?');
    expect(asked).toBeDefined();
    if (!asked) return;
    expect(mentions(asked, textKey('SOC2 Type2報告書を毎年取得し、SOC報告書として開示しています。'))).toBe(false);
    expect(mentions(asked, textKey('専任チームが24時間監視を行っています。'))).toBe(true);
  });

  it('keeps the glossary’s sense when the acronym stands alone', () => {
    const asked = soc('Can customers obtain your latest SOC report?');
    expect(asked && mentions(asked, textKey('SOC報告書を開示しています。'))).toBe(true);
  });
});
