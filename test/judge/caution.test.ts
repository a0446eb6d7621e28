/**
 * The one caution mechanism (src/retrieve/caution.ts) as a reviewer meets it: for each kind of
 * caution, in Japanese and in English, the answer's reason is the caution's reason, and the
 * caution's effect shows: no bare yes (unknown), a review flag and a capped confidence; or a
 * decline with nothing cited; or, for a fact asked by one ask only, a flag on the kept answer.
 */
import { describe, expect, it } from 'vitest';
import type { Language, Passage } from '../../src/domain.js';
import { rowFeatures, type QuestionView } from '../../src/judge/features.js';
import { judge, type Judge, type Judgement } from '../../src/judge/judge.js';
import { acts, ALTERNATIVES, CAUTION_CAP, cautionReason, NEGATED, NEGATED_ASK, PROVISION, questionCautions, ROW_DENIES, ROW_SAYS_NOT_DONE, type AppliedCaution, type Caution } from '../../src/retrieve/caution.js';
import type { Concept } from '../../src/retrieve/expand.js';
import { compile } from '../../src/retrieve/match.js';
import { candidateOf, coverageJudge } from '../support/judges.js';

function passage(id: string, answer: string): Passage {
  return { id, product: 'acme', kind: 'control', source: 'acme.txt', title: 'Acme checksheet', locator: `L${id}`, line: Number(id), page: null, sectionPath: [], ref: id, requirement: '', answer, status: 'yes' };
}
const JUDGE: Judge = coverageJudge();
const backup: Concept = { source: 'backup', variants: ['バックアップ'], weight: 1, origin: 'glossary' };
const rows = [passage('1', 'バックアップを毎日取得しております'), passage('2', '通信は暗号化しております')];

/** The judgement of a backup question in `lang` with the given cautions on the question and on the best row. */
function judged(lang: Language, onQuestion: Caution[], onBest: Caution[] = []): Judgement {
  const q: QuestionView = { concepts: compile([backup]), asks: [], absent: [], unmentioned: 0, idf: [1], lang, bm25: [0, 0], bm25Ceiling: 0, cautions: onQuestion };
  const [best, other] = rows;
  return judge(q, rowFeatures(q, [candidateOf(best!, onBest), candidateOf(other!)]), JUDGE);
}

const LANGS: Language[] = ['ja', 'en'];

describe('a caution whose effect is unknown: no bare yes, flagged, confidence capped, its reason', () => {
  it('is not there without a caution: the same answer is a confident, unflagged yes', () => {
    const j = judged('en', []);
    expect(j.hits[0]?.status).toBeUndefined(); // the row's own ○
    expect(j.needsReview).toBe(false);
    expect(j.confidence).toBeGreaterThan(0.9);
  });

  const cases: Array<[string, AppliedCaution[], AppliedCaution[], Record<Language, string>]> = [
    ['negated', [NEGATED], [], { ja: '否定形', en: 'phrased in the negative' }],
    ['figure', [], [{ kind: 'figure', effect: 'unknown', figure: '30日以内' }], { ja: '「30日以内」', en: '“30日以内”' }],
    ['row-says-not-done', [], [ROW_SAYS_NOT_DONE], { ja: '行っていない', en: 'not done' }],
    ['alternatives', [], [ALTERNATIVES], { ja: '別の対象', en: 'different vendor or region' }],
  ];
  for (const [kind, onQuestion, onBest, words] of cases) {
    for (const lang of LANGS) {
      it(`${kind}, in ${lang}`, () => {
        const j = judged(lang, onQuestion, onBest);
        const caution = [...onQuestion, ...onBest][0]!;
        expect(j.abstained).toBe(false);
        expect(j.hits[0]?.status).toBe('unknown');
        expect(j.needsReview).toBe(true);
        expect(j.confidence).toBeLessThanOrEqual(CAUTION_CAP);
        expect(j.reason).toBe(cautionReason(caution, lang, j.confidence));
        expect(j.reason).toContain(words[lang]);
        expect(j.reason).toContain(lang === 'ja' ? '担当者の確認が必要です' : 'a human should check');
      });
    }
  }

  it('names the question’s own caution before a row’s', () => {
    expect(judged('en', [NEGATED], [ALTERNATIVES]).reason).toContain('phrased in the negative');
  });
});

describe('a row that states what is asked is not done, or a figure short of the one asked: no, flagged, its reason', () => {
  const cases: Array<[string, Caution, Record<Language, string>]> = [
    ['row-denies', ROW_DENIES, { ja: '行っていない', en: 'is not done' }],
    ['figure-fails', { kind: 'figure-fails', effect: 'no', figure: 'at least 99.95%', stated: '99.9%' }, { ja: '「99.9%」', en: '“99.9%”' }],
    ['row-rules-out', { kind: 'row-rules-out', effect: 'no', clause: '夜間に無停止で再起動しないこと' }, { ja: '「夜間に無停止で再起動しないこと」', en: '“夜間に無停止で再起動しないこと”' }],
    ['bad-practice, the sound practice stated', { kind: 'bad-practice', effect: 'no', practice: 'plain text', stated: 'ハッシュ' }, { ja: '「ハッシュ」', en: '“ハッシュ” instead' }],
  ];
  for (const [kind, caution, words] of cases) {
    for (const lang of LANGS) {
      it(`${kind}, in ${lang}`, () => {
        const j = judged(lang, [], [caution]);
        expect(j.abstained).toBe(false);
        expect(j.hits[0]?.status).toBe('no');
        expect(j.needsReview).toBe(true);
        expect(j.reason).toContain(words[lang]);
      });
    }
  }

  it('leaves a negated question unknown: a no to it reads both ways too', () => {
    const j = judged('ja', [NEGATED], [ROW_DENIES]);
    expect(j.hits[0]?.status).toBe('unknown');
    expect(j.reason).toContain('否定形');
  });
});

describe('a question with one ask phrased in the negative among affirmative ones: the marks stand, flagged', () => {
  const questions: Record<Language, { some: string; every: string; words: string }> = {
    ja: { some: 'バックアップは毎日取得していますか?復元できないデータはありませんか?', every: 'バックアップは取得していないのですか?復元の試験もしていないのですか?', words: '一部が否定形' },
    en: { some: 'Do you take daily backups, and is there no data you cannot restore?', every: 'Do you not take backups? Do you not test restores?', words: 'part of the question is phrased in the negative' },
  };
  for (const lang of LANGS) {
    it(`keeps the row's yes and flags it with the reason, in ${lang}`, () => {
      const cautions = questionCautions(questions[lang].some, lang);
      expect(cautions).toEqual([NEGATED_ASK]);
      const j = judged(lang, cautions);
      expect(j.abstained).toBe(false);
      expect(j.hits[0]?.status).toBeUndefined(); // the row's own ○: a plain yes to the affirmative ask
      expect(j.needsReview).toBe(true);
      expect(j.confidence).toBeGreaterThan(CAUTION_CAP); // not a coin toss: only one ask reads both ways
      expect(j.reason).toContain(questions[lang].words);
    });

    it(`leaves no status when every ask is negative, in ${lang}`, () => {
      const cautions = questionCautions(questions[lang].every, lang);
      expect(cautions).toEqual([NEGATED]);
      const j = judged(lang, cautions);
      expect(j.hits[0]?.status).toBe('unknown');
      expect(j.confidence).toBeLessThanOrEqual(CAUTION_CAP);
    });
  }
});

describe('a row that refuses what is asked except in some cases: partial, flagged, the refusal quoted', () => {
  for (const lang of LANGS) {
    it(`in ${lang}`, () => {
      const j = judged(lang, [], [{ kind: 'row-refuses-some', effect: 'partial', clause: '監査目的を除き閲覧いたしません' }]);
      expect(j.hits[0]?.status).toBe('partial');
      expect(j.needsReview).toBe(true);
      expect(j.reason).toContain(lang === 'ja' ? '「監査目的を除き閲覧いたしません」' : '“監査目的を除き閲覧いたしません”');
    });
  }
});

describe('a row silent on the weak practice the question asks about: no yes, flagged, capped', () => {
  for (const lang of LANGS) {
    it(`in ${lang}`, () => {
      const j = judged(lang, [], [{ kind: 'bad-practice', effect: 'unknown', practice: lang === 'ja' ? '平文' : 'plain text', stated: '' }]);
      expect(j.hits[0]?.status).toBe('unknown');
      expect(j.needsReview).toBe(true);
      expect(j.confidence).toBeLessThanOrEqual(CAUTION_CAP);
      expect(j.reason).toContain(lang === 'ja' ? '「平文」' : '“plain text”');
    });
  }
});

describe('a row that limits to some hours what is asked around the clock: partial, flagged, the limit named', () => {
  for (const lang of LANGS) {
    it(`in ${lang}`, () => {
      const j = judged(lang, [], [{ kind: 'row-restricts', effect: 'partial', limit: '平日' }]);
      expect(j.hits[0]?.status).toBe('partial');
      expect(j.needsReview).toBe(true);
      expect(j.reason).toContain(lang === 'ja' ? '「平日」' : '“平日”');
    });
  }
});

describe('a fact no cited row states: declined (or, asked by one ask only, flagged), its reason', () => {
  const questions: Record<Language, { whole: string; oneAsk: string; words: string }> = {
    ja: { whole: '情報セキュリティ責任者の氏名を教えてください。', oneAsk: 'バックアップは取得していますか?委託先の会社名を教えてください。', words: '名称' },
    en: { whole: 'Which company operates your backups?', oneAsk: 'Do you take backups, and which company operates them?', words: 'asks for a name' },
  };
  for (const lang of LANGS) {
    it(`declines when every ask wants the fact, in ${lang}`, () => {
      const cautions = questionCautions(questions[lang].whole, lang);
      expect(cautions.map((c) => [c.kind, c.effect])).toEqual([['unstated-fact', 'decline']]);
      const j = judged(lang, cautions);
      expect(j.abstained).toBe(true);
      expect(j.hits).toEqual([]);
      expect(j.confidence).toBe(0);
      expect(j.needsReview).toBe(true);
      expect(j.reason).toBe(cautionReason(cautions.filter(acts)[0]!, lang, 0));
      expect(j.reason).toContain(questions[lang].words);
      expect(j.reason).toContain(lang === 'ja' ? '担当者の確認が必要です' : 'a human should answer');
    });

    it(`keeps the answer, flagged, when only one ask wants the fact, in ${lang}`, () => {
      const cautions = questionCautions(questions[lang].oneAsk, lang);
      expect(cautions.map((c) => [c.kind, c.effect])).toEqual([['unstated-fact', 'flag']]);
      const j = judged(lang, cautions);
      expect(j.abstained).toBe(false);
      expect(j.hits.map((h) => h.passage.id)).toEqual(['1']);
      expect(j.needsReview).toBe(true);
      expect(j.reason).toContain(questions[lang].words);
    });
  }

  it('answers when a cited row states the fact', () => {
    const named = [passage('1', 'バックアップは株式会社サンプルが運用しております'), rows[1]!];
    const q: QuestionView = { concepts: compile([backup]), asks: [], absent: [], unmentioned: 0, idf: [1], lang: 'en', bm25: [0, 0], bm25Ceiling: 0, cautions: questionCautions(questions.en.whole, 'en') };
    const j = judge(q, rowFeatures(q, named.map((p) => candidateOf(p))), JUDGE);
    expect(j.abstained).toBe(false);
    expect(j.needsReview).toBe(false);
  });
});

describe('a question asking to be handed something: which caveats of a row make its answer partial', () => {
  const logs: Concept = { source: 'logs', variants: ['ログ'], weight: 1, origin: 'glossary' };
  // ○ with a caveat: ingest reads it partial.
  const kept = { ...passage('1', 'ログは13か月間保存しております。ただし、お客様へのログの提供は行っておりません。'), status: 'partial' as const };
  const statusFor = (question: string, lang: Language): string | undefined => {
    const q: QuestionView = { concepts: compile([logs]), asks: [], absent: [], unmentioned: 0, idf: [1], lang, bm25: [0, 0], bm25Ceiling: 0, cautions: questionCautions(question, lang) };
    const j = judge(q, rowFeatures(q, [candidateOf(kept), candidateOf(rows[1]!)]), JUDGE);
    return j.hits[0]?.status ?? j.hits[0]?.passage.status;
  };

  it('answers partial when the question asks to be given the logs', () => {
    expect(questionCautions('Can we obtain our logs?', 'en')).toEqual([PROVISION]);
    expect(statusFor('Can we obtain our logs?', 'en')).toBe('partial');
    expect(statusFor('ログを提供してもらえますか?', 'ja')).toBe('partial');
  });

  it('answers yes when the question is about the logs being kept: the caveat is about another service', () => {
    expect(statusFor('Are logs kept?', 'en')).toBe('yes');
    expect(statusFor('ログは保存していますか?', 'ja')).toBe('yes');
  });
});
