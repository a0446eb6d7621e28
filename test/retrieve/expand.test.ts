import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expandQuery, lemmaCandidates, type Concept } from '../../src/retrieve/expand.js';
import { LEXICON_DIR, loadLexicon, parseGlossary, stem } from '../../src/retrieve/lexicon.js';
import { compile, coverage, textKey } from '../../src/retrieve/match.js';

// The questions below are written for these tests from general security vocabulary; none comes
// from an evaluation set.

// First in the file, and nothing at module level loads the lexicon (module and describe bodies run
// at collection, before any test), so this measures the cold load in this worker process.
describe('loadLexicon', () => {
  it('loads once per process, with every source in it (load time is in npm run bench, not here)', () => {
    const first = loadLexicon();
    const second = loadLexicon();
    expect(second).toBe(first);
    expect(first.stats.glossaryConcepts).toBeGreaterThanOrEqual(400);
    expect(first.stats.synonymGroups).toBeGreaterThan(1000);
    expect(first.stats.edictKeys).toBeGreaterThan(10_000);
  });
});

function expand(question: string): Concept[] {
  return expandQuery(question, loadLexicon()).concepts;
}

/** The concept that looks for `variant`, if any. */
function conceptWith(concepts: Concept[], variant: string): Concept | undefined {
  return concepts.find((c) => c.variants.includes(variant));
}

function allVariants(concepts: Concept[]): string[] {
  return concepts.flatMap((c) => c.variants);
}

describe('glossary.tsv', () => {
  const text = readFileSync(new URL('glossary.tsv', LEXICON_DIR), 'utf8');
  const { concepts, problems } = parseGlossary(text);

  it('parses without problems', () => {
    expect(problems).toEqual([]);
    expect(concepts.length).toBeGreaterThanOrEqual(400);
    expect(concepts.length).toBeLessThanOrEqual(800);
  });

  it('has no empty, one-character or non-normalised variants', () => {
    // Collected, then asserted once: thousands of expect() calls would dominate the run time.
    const bad: string[] = [];
    for (const c of concepts) {
      if (c.en.length === 0 || c.ja.length === 0) bad.push(`line ${c.line}: empty side`);
      if (!(c.weight > 0 && c.weight <= 1)) bad.push(`line ${c.line}: weight ${c.weight}`);
      for (const v of c.ja) {
        if ([...v].length < 2) bad.push(`line ${c.line}: short variant "${v}"`);
        if (v !== v.normalize('NFKC').toLowerCase().trim()) bad.push(`line ${c.line}: unnormalised "${v}"`);
      }
    }
    // The raw file too: what reviewers read should already be NFKC, so diffs stay honest.
    text.split('\n').forEach((line, i) => {
      if (line !== line.normalize('NFKC')) bad.push(`line ${i + 1}: not NFKC`);
    });
    expect(bad).toEqual([]);
  });

  it('has no duplicate concepts and no English phrase on two lines', () => {
    const signatures = concepts.map((c) => `${[...c.en].sort().join('|')}\t${[...c.ja].sort().join('|')}`);
    expect(new Set(signatures).size).toBe(signatures.length);
    const owner = new Map<string, number>();
    for (const c of concepts) {
      for (const key of c.enKeys) {
        expect(owner.get(key), `"${key}" on lines ${owner.get(key)} and ${c.line}`).toBeUndefined();
        owner.set(key, c.line);
      }
    }
  });

  it('reports problems in a malformed file', () => {
    const bad = parseGlossary('encrypt\t暗号化\nencryption\t暗号\nfoo\t|x\nbar\nbaz\t鍵管理\t2\n');
    expect(bad.problems.join('\n')).toMatch(/already on line 1/);
    expect(bad.problems.join('\n')).toMatch(/empty Japanese variant/);
    expect(bad.problems.join('\n')).toMatch(/one-character/);
    expect(bad.problems.join('\n')).toMatch(/columns/);
    expect(bad.problems.join('\n')).toMatch(/weight/);
  });
});

describe('stemming and lemmas', () => {
  it('conflates inflections questionnaires use', () => {
    expect(new Set(['encrypt', 'encrypted', 'encrypting', 'encryption'].map(stem)).size).toBe(1);
    expect(stem('policies')).toBe(stem('policy'));
    expect(stem('backups')).toBe(stem('backup'));
  });

  it('keeps apart words that Porter would merge', () => {
    expect(stem('integrity')).not.toBe(stem('integration'));
    expect(stem('important')).not.toBe(stem('import'));
    expect(stem('ips')).not.toBe(stem('ip'));
  });

  it('tries nouns derived from verb forms before the bare verb', () => {
    const forms = lemmaCandidates('encrypted');
    const noun = forms.findIndex((f) => f.form === 'encryption');
    const verb = forms.findIndex((f) => f.form === 'encrypt');
    expect(noun).toBeGreaterThan(0);
    expect(verb).toBeGreaterThan(noun);
    expect(forms[verb]?.verbalOnly).toBe(true);
  });
});

describe('expandQuery: English', () => {
  it('reaches Japanese wording for encryption at rest, as two ideas', () => {
    const concepts = expand('Do you encrypt data at rest?');
    const encrypt = conceptWith(concepts, '暗号化');
    const atRest = conceptWith(concepts, '保存データ');
    expect(encrypt).toBeDefined();
    expect(atRest).toBeDefined();
    expect(atRest).not.toBe(encrypt);
    expect(encrypt?.origin).toBe('glossary');
  });

  it('handles inflected forms ("encrypted", "encryption")', () => {
    expect(conceptWith(expand('Is all customer data encrypted when stored?'), '暗号化')).toBeDefined();
    expect(conceptWith(expand('Which encryption algorithms are used?'), '暗号化')).toBeDefined();
  });

  it('maps uptime to 稼働率 and keeps MFA as one concept', () => {
    expect(conceptWith(expand('What is your guaranteed uptime?'), '稼働率')).toBeDefined();
    const mfa = expand('Is multi-factor authentication enforced for administrators?');
    const c = conceptWith(mfa, '多要素認証');
    expect(c?.variants).toEqual(expect.arrayContaining(['二要素認証', '二段階認証', 'mfa']));
    // The phrase is matched whole: no separate "authentication" concept dilutes it.
    expect(mfa.filter((x) => x.variants.includes('認証'))).toHaveLength(0);
    expect(conceptWith(mfa, '管理者')).toBeDefined();
  });

  it('keeps acronyms as literal concepts even when no dictionary knows them', () => {
    const concepts = expand('Is the platform certified under ZTQA?');
    const ztqa = concepts.find((c) => c.source === 'ZTQA');
    expect(ztqa).toMatchObject({ variants: ['ztqa'], origin: 'literal', weight: 1 });
  });

  it('keeps known acronyms, standard numbers and plural acronyms', () => {
    expect(conceptWith(expand('Are you ISMAP registered?'), 'ismap')).toBeDefined();
    expect(conceptWith(expand('Do you have a SOC 2 Type II report?'), 'soc2')).toBeDefined();
    expect(conceptWith(expand('Are you certified to ISO/IEC 27001?'), '27001')).toBeDefined();
    expect(conceptWith(expand('Do you follow BS 10008 for electronic records?'), '10008')).toBeDefined();
    // "IDs" is the plural of ID, not the intrusion detection system IDS.
    const ids = expand('Are user IDs unique?');
    expect(conceptWith(ids, 'id')).toBeDefined();
    expect(conceptWith(ids, '侵入検知')).toBeUndefined();
  });

  it('drops stop words and questionnaire boilerplate', () => {
    expect(expand('Please describe your company and the service you provide.')).toEqual([]);
    const sources = expand('Do you have a documented policy for your organisation?').map((c) => c.source.toLowerCase());
    for (const w of ['do', 'you', 'have', 'your', 'organisation', 'a', 'for']) expect(sources).not.toContain(w);
  });

  it('weights generic words low and specific controls high', () => {
    const concepts = expand('Do you protect information and data with a web application firewall?');
    const info = conceptWith(concepts, '情報');
    const data = conceptWith(concepts, 'データ');
    const waf = conceptWith(concepts, 'waf');
    expect(info?.weight).toBeLessThanOrEqual(0.3);
    expect(data?.weight).toBeLessThanOrEqual(0.3);
    expect(waf?.weight).toBe(1);
  });

  it('falls back to EDICT for words the glossary lacks, weighted below glossary concepts', () => {
    const concepts = expand('Is the office located near a volcano?');
    const volcano = conceptWith(concepts, '火山');
    expect(volcano?.origin).toBe('edict');
    expect(volcano?.weight).toBeLessThan(1);
  });

  it('keeps a word no dictionary knows as an idea of the question instead of dropping it', () => {
    // A coined qualifier narrows what is asked: it stays, as one idea, so a row about plain
    // encryption no longer covers the whole question.
    const concepts = expand('Do you use enclave-sealed encryption?');
    const qualifier = concepts.find((c) => c.origin === 'unknown');
    expect(qualifier).toMatchObject({ source: 'enclave-sealed', variants: expect.arrayContaining(['enclave-sealed', 'enclave sealed']) });
    expect(qualifier?.weight).toBeGreaterThanOrEqual(conceptWith(concepts, '暗号化')?.weight ?? 1);
    const key = textKey('保存データはすべて暗号化しております。');
    expect(coverage(compile(concepts.filter((c) => c !== qualifier)), key)).toBe(1);
    expect(coverage(compile(concepts), key)).toBeLessThan(0.7);
    // An ordinary word is no named topic: it may lower coverage, never veto a row.
    expect(compile(concepts).find((c) => c.source === 'enclave-sealed')?.topic).toBe(false);
    // A single unknown word counts like a word EDICT translates.
    expect(expand('Do you offer homomorphic tokenisation of records?').find((c) => c.source === 'homomorphic')).toMatchObject({ origin: 'unknown', weight: 0.5 });
  });

  it('reads a compound with an unknown word as one idea, not as its known half', () => {
    const concepts = expand('Are backups kept on an air-gapped server?');
    expect(concepts.find((c) => c.source === 'air-gapped')?.origin).toBe('unknown');
    expect(allVariants(concepts)).not.toContain('空気');
  });

  it('does not make ideas of pronouns, particles, known verbs or product names in mixed case', () => {
    const sources = expand('Can someone turn off the alerts sent by the krewData console?').map((c) => c.source);
    for (const w of ['someone', 'off', 'sent', 'krewData']) expect(sources).not.toContain(w);
  });

  it('does not translate verb forms into unrelated nouns', () => {
    // EDICT's "store" is a shop (百貨店); only suru-verb nouns may translate "stored".
    expect(allVariants(expand('Where are invoices stored?'))).not.toContain('百貨店');
  });

  it('merges repeated mentions of one idea into one concept', () => {
    const concepts = expand('Is data encrypted in transit, and which encryption is used?');
    expect(concepts.filter((c) => c.variants.includes('暗号化'))).toHaveLength(1);
    expect(conceptWith(concepts, '通信')).toBeDefined();
  });

  it('reaches termination wording for leavers', () => {
    const concepts = expand('How is access revoked when employees leave the company?');
    expect(conceptWith(concepts, '退職')?.variants).toContain('雇用の終了');
  });
});

describe('expandQuery: Japanese', () => {
  it('detects the language', () => {
    expect(expandQuery('バックアップを取得していますか', loadLexicon()).lang).toBe('ja');
    expect(expandQuery('Do you back up data?', loadLexicon()).lang).toBe('en');
  });

  it('expands paraphrases through the glossary (在宅勤務 ↔ テレワーク, 二重化 ↔ 冗長化, 退職 ↔ 雇用の終了)', () => {
    expect(conceptWith(expand('在宅勤務時のセキュリティ対策を教えてください'), '在宅勤務')?.variants).toContain('テレワーク');
    expect(conceptWith(expand('サーバーは二重化されていますか'), '二重化')?.variants).toContain('冗長化');
    expect(conceptWith(expand('退職者のアカウントは削除されますか'), '退職者')?.variants).toContain('雇用の終了');
  });

  it('adds Sudachi synonyms for terms the glossary lacks', () => {
    const c = conceptWith(expand('頻度はどのくらいですか'), '頻度');
    expect(c?.origin).toBe('synonym');
    expect(c?.variants).toContain('回数');
  });

  it('keeps a noun written as one kanji, which rows write inside compounds (火 → 火災)', () => {
    const concepts = compile(expand('火による設備の損傷にはどう備えていますか'));
    expect(concepts.map((c) => c.source)).toContain('火');
    expect(coverage(concepts.filter((c) => c.source === '火'), textKey('データセンターの火災対策を確認しています'))).toBe(1);
  });

  it('does not make ideas of one-kanji pronouns, formal nouns or adverbs (誰, 人, 前, 常に)', () => {
    const sources = expand('作業する人は誰が決め、解約する前に常に確認していますか').map((c) => c.source);
    for (const w of ['人', '誰', '前', '常']) expect(sources).not.toContain(w);
  });

  it('strips question boilerplate and hiragana', () => {
    const sources = expand('貴社では、脆弱性診断について具体的にどのように実施していますか。教えてください。').map((c) => c.source);
    for (const w of ['貴社', '具体的', 'について', 'どのように', 'ください', 'ありますか']) expect(sources).not.toContain(w);
    expect(sources).toContain('脆弱性診断');
  });

  it('adds sub-terms of long unknown compounds at a lower weight', () => {
    const concepts = expand('地方公共団体向けの導入事例はありますか');
    const whole = concepts.find((c) => c.source === '地方公共団体');
    const part = concepts.find((c) => c.source === '団体');
    expect(whole?.weight).toBe(1);
    expect(part).toBeDefined();
    expect(part?.weight).toBeLessThan(whole?.weight ?? 0);
  });

  it('keeps latin acronyms inside Japanese questions', () => {
    expect(conceptWith(expand('SOC2レポートを提出できますか'), 'soc2')).toBeDefined();
    expect(conceptWith(expand('ISMAPに登録されていますか'), 'ismap')).toBeDefined();
    const unknown = expand('ZTQA認証を取得していますか').find((c) => c.source === 'ZTQA');
    expect(unknown).toMatchObject({ variants: ['ztqa'], origin: 'literal' });
    expect(conceptWith(expand('MFAは利用できますか'), 'mfa')?.variants).toContain('多要素認証');
  });

  it('weights generic Japanese terms low', () => {
    const concepts = expand('システムの情報を管理していますか');
    for (const term of ['システム', '情報', '管理']) expect(conceptWith(concepts, term)?.weight ?? 0).toBeLessThanOrEqual(0.3);
  });
});

describe('expandQuery: output shape', () => {
  const questions = [
    'Do you encrypt backups and test restores at least annually?',
    'Is there a 24/7 help desk and what are the support hours?',
    'Where is the data center located, and is it protected against earthquakes?',
    'Ｄｏ ｙｏｕ ｕｓｅ ＴＬＳ １．２？',
    'ＩＳＭＡＰ登録の有無を教えてください',
    'データセンターの落雷対策、火災対策はどうなっていますか',
    'ＡＷＳの東京リージョンを利用していますか',
  ];

  it('gives NFKC, lowercase, non-empty variants and weights in (0, 1]', () => {
    for (const q of questions) {
      const concepts = expand(q);
      expect(concepts.length, q).toBeGreaterThan(0);
      for (const c of concepts) {
        expect(c.weight, q).toBeGreaterThan(0);
        expect(c.weight, q).toBeLessThanOrEqual(1);
        expect(c.variants.length, q).toBeGreaterThan(0);
        expect(new Set(c.variants).size, q).toBe(c.variants.length);
        for (const v of c.variants) {
          expect(v, q).toBe(v.normalize('NFKC').toLowerCase());
          expect([...v].length, `${q}: ${v}`).toBeGreaterThanOrEqual(2);
        }
      }
    }
  });

  it('normalises full-width input', () => {
    expect(conceptWith(expand('Ｄｏ ｙｏｕ ｕｓｅ ＴＬＳ １．２？'), 'tls')).toBeDefined();
    expect(conceptWith(expand('ＡＷＳの東京リージョンを利用していますか'), 'aws')).toBeDefined();
  });
});

describe('everyday wording asked of checksheet vocabulary', () => {
  it('reads a Japanese verb with its okurigana as the noun a checksheet uses', () => {
    const concepts = expand('システムが止まったとき、利用者にはどうやって知らせますか?');
    expect(conceptWith(concepts, '障害')).toBeDefined();
    expect(conceptWith(concepts, '通知')).toBeDefined();
    expect(conceptWith(expand('規程を変えたら従業員に伝えていますか?'), '変更')).toBeDefined();
    expect(conceptWith(expand('遠隔地からつなぐときの手順はありますか?'), '接続')).toBeDefined();
  });

  it('translates English everyday words in the sense a questionnaire uses them', () => {
    expect(conceptWith(expand('Is out-of-hours support offered for outages?'), '時間外')).toBeDefined();
    expect(conceptWith(expand('How is entry to the server room controlled?'), '入退室')).toBeDefined();
    // "handled" is a predicate here, not the information-handling control: it may not outweigh the subject.
    const handled = expand('How is key rotation handled?');
    expect(conceptWith(handled, '取扱')?.weight ?? 0).toBeLessThan(0.5);
  });
});
