/**
 * `npx tsx scripts/train-spread.ts [--salts ,a,b,c] [--variants innerSmooth,session15,...]`: how much the
 * training procedure's out-of-fold result depends on which items share a fold. One refit reads
 * ±3–6 items on 268 between procedures that differ only by luck (EXPERIMENTS.md, session 15),
 * which drowns the changes it should measure. The pool is gathered once (scripts/train-data.ts);
 * then, for each procedure variant and each fold salt (src/eval/pool.ts foldOf; the empty salt
 * is the shipped assignment), crossValidate refits every fold and each item is judged and
 * drafted by its own fold's judge and scored as the eval scores it (src/eval/metrics.ts).
 * Prints, per variant, each salt's figures and their mean ± sd. Writes nothing.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { calibration, isRight, summarise, type ItemOutcome } from '../src/eval/metrics.js';
import { FOLDS, foldOf } from '../src/eval/pool.js';
import { crossValidate, PROCEDURE, type Procedure } from '../src/judge/train.js';
import { gatherTraining } from './train-data.js';

/**
 * The procedures compared, each spelled out in full (not relative to PROCEDURE, which is one of
 * them): session 15's, and the changes measured in EXPERIMENTS.md (session 16, stab16; session 17,
 * the unflagged threshold from inner scores, with and without the leave-one-fold-out guard, and the
 * confidence read from the answerable model).
 */
const SESSION15: Procedure = { ...PROCEDURE, thresholdScores: 'outer', declineRule: 'budget', unflaggedScores: 'outer', confidence: 'answer' };
const VARIANTS: Record<string, Procedure> = {
  session15: SESSION15,
  inner: { ...SESSION15, thresholdScores: 'inner' },
  smooth: { ...SESSION15, declineRule: 'smooth' },
  innerSmooth: { ...SESSION15, thresholdScores: 'inner', declineRule: 'smooth' },
  innerUnflagged: { ...SESSION15, thresholdScores: 'inner', declineRule: 'smooth', unflaggedScores: 'inner' },
  innerGuarded: { ...SESSION15, thresholdScores: 'inner', declineRule: 'smooth', unflaggedScores: 'innerGuarded' },
  stackedInner: { ...SESSION15, thresholdScores: 'inner', declineRule: 'smooth', unflaggedScores: 'inner', confidence: 'answerable' },
  stacked: { ...SESSION15, thresholdScores: 'inner', declineRule: 'smooth', unflaggedScores: 'innerGuarded', confidence: 'answerable' },
};

const { values } = parseArgs({ options: { salts: { type: 'string', default: ',s1,s2,s3,s4' }, variants: { type: 'string', default: Object.keys(VARIANTS).join(',') } } });
const salts = (values.salts ?? '').split(',');
const variants = (values.variants ?? '').split(',');
for (const v of variants) if (!(v in VARIANTS)) throw new Error(`unknown variant ${v}; known: ${Object.keys(VARIANTS).join(', ')}`);

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const data = await gatherTraining(root);

interface Figures {
  right: number;
  citedJa: number;
  citedEn: number;
  declined: number;
  wronglyDeclined: number;
  status: number;
  ece: number;
  unflagged: number;
  precision: number;
  declineJa: string;
  declineEn: string;
}

const names: Array<keyof Figures> = ['right', 'citedJa', 'citedEn', 'declined', 'wronglyDeclined', 'status', 'ece', 'unflagged', 'precision'];
const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(3));

function figures(outcomes: ItemOutcome[], declines: number[], declinesEn: number[]): Figures {
  const s = summarise(outcomes);
  const cited = (lang: string): number => summarise(outcomes.filter((o) => o.item.lang === lang)).citedRecall5 ?? 0;
  return {
    right: outcomes.filter((o) => (o.item.answerable ? isRight(o) : o.abstained)).length,
    citedJa: cited('ja'),
    citedEn: cited('en'),
    declined: outcomes.filter((o) => !o.item.answerable && o.abstained).length,
    wronglyDeclined: outcomes.filter((o) => o.item.answerable && o.abstained).length,
    status: s.statusAccuracy ?? 0,
    ece: calibration(outcomes).ece,
    unflagged: s.unflaggedShare ?? 0,
    precision: s.unflaggedPrecision ?? 0,
    declineJa: declines.join('/'),
    declineEn: declinesEn.join('/'),
  };
}

for (const name of variants) {
  const procedure = VARIANTS[name] as Procedure;
  const rows: Figures[] = [];
  process.stdout.write(`\n## ${name}${JSON.stringify(procedure) === JSON.stringify(PROCEDURE) ? ' (npm run train)' : ''}\n\n| salt | ${names.join(' | ')} | decline JA | decline EN |\n|${'---|'.repeat(names.length + 3)}\n`);
  for (const salt of salts) {
    const items = data.items.map((i) => ({ ...i, fold: foldOf(i.id, FOLDS, salt) }));
    const result = crossValidate(items, FOLDS, data.featuresUnder, data.judgeItem, procedure);
    const outcomes = items.map((i) => data.outcome(i, result.judges[i.fold] ?? result.full));
    const f = figures(outcomes, result.judges.map((j) => j.thresholds.decline), result.judges.map((j) => j.thresholds.declineEn));
    rows.push(f);
    process.stdout.write(`| ${salt || '(shipped)'} | ${names.map((n) => fmt(f[n] as number)).join(' | ')} | ${f.declineJa} | ${f.declineEn} |\n`);
  }
  const stat = (n: keyof Figures): string => {
    const xs = rows.map((r) => r[n] as number);
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
    return n === 'right' || n === 'declined' || n === 'wronglyDeclined' ? `${m.toFixed(1)} ± ${sd.toFixed(1)}` : `${m.toFixed(3)} ± ${sd.toFixed(3)}`;
  };
  process.stdout.write(`| mean ± sd | ${names.map(stat).join(' | ')} | | |\n`);
}
