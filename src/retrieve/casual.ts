/**
 * Casual Japanese, read as the formal word a checksheet writes, before the glossary.
 *
 * Customers write questions as email or chat (「消しちゃったデータって戻せます？」, 「うちがアップした
 * ファイル、のぞいたりしませんよね？」); the sheets and the glossary write 削除, 復元, アップロード, 閲覧.
 * Expansion reads kanji and katakana runs and drops kana, so a casual verb was no idea at all (戻せ,
 * のぞい) and a clipped loanword (アップ) an idea no row states, found inside unrelated words
 * (バックアップ) by the bigram score. There is no morphological analyser (one was measured and not
 * kept: src/judge/EXPERIMENTS.md, issue #9), so a verb is matched by its stem and the endings of its
 * conjugation row, which covers ～ちゃう, ～ちゃった, ～たり, ～せる alike.
 *
 * lexicon/casual.tsv lists general words only (see its header for the forms). `formalJa` gives the
 * text expansion reads: a clipped word replaced by its formal word, a verb followed by it. The
 * question shown, quoted and stored stays as the customer wrote it.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { LEXICON_DIR } from './lexicon.js';
import { escapeRegExp, HIRAGANA_CLASS, KANJI_CLASS, KATAKANA_CLASS } from '../regexp.js';

const Form = z.enum(['clip', 'godan', 'ichidan']);
type Form = z.infer<typeof Form>;

export interface CasualEntry {
  /** As written in casual.tsv (NFKC, Latin lowercased): a verb's dictionary form. */
  written: string;
  formal: string;
  form: Form;
  /** 1-based line of casual.tsv, for problems. */
  line: number;
  /** The written word in any of its forms, matched at one position (sticky). */
  pattern: RegExp;
  /** Words one of which the question must write for the entry to apply (the written word's other sense is then unlikely); empty for none. */
  near: readonly string[];
}

/** Particles a verb written in kana may follow (中身をのぞく): anything else in kana before it makes it part of another word. */
const PARTICLES = 'をがはもにでとへやか';

/**
 * The endings of a godan verb's row by its final kana (the a-, i-, u-, e- and o-row kana, and the
 * sound change before た/て: 覗いた, 戻った, 盗んだ).
 */
const GODAN_ROWS: Readonly<Record<string, string>> = {
  く: 'かきくけこい',
  ぐ: 'がぎぐげごい',
  す: 'さしすせそ',
  つ: 'たちつてとっ',
  ぬ: 'なにぬねのん',
  ぶ: 'ばびぶべぼん',
  む: 'まみむめもん',
  る: 'らりるれろっ',
  う: 'わいうえおっ',
};

/** What may not stand just before a word starting with this character: a kanji before a kanji (解消し), kana before kana. */
function leftEdge(first: string): string {
  if (new RegExp(`[${KANJI_CLASS}]`, 'u').test(first)) return `(?<![${KANJI_CLASS}])`;
  if (new RegExp(`[${KATAKANA_CLASS}]`, 'u').test(first)) return `(?<![${KATAKANA_CLASS}])`;
  if (new RegExp(`[${HIRAGANA_CLASS}]`, 'u').test(first)) return `(?:(?<![${HIRAGANA_CLASS}])|(?<=[${PARTICLES}]))`;
  return '(?<![a-z0-9])';
}

/**
 * The written word as a sticky pattern of its form, or a problem. A clipped katakana word that has
 * another sense (`near`: アプリ is a phone's app only beside a phone) is read only where no kanji is
 * written onto it either: 認証アプリ names its own kind of app, whatever device the question names.
 */
function patternOf(written: string, form: Form, near: readonly string[]): RegExp | string {
  const first = written.charAt(0);
  const body = escapeRegExp(written);
  if (form === 'clip') {
    const last = written.charAt(written.length - 1);
    const right = new RegExp(`[${KATAKANA_CLASS}]`, 'u').test(last) ? `(?![${KATAKANA_CLASS}])` : /[a-z0-9]/.test(last) ? '(?![a-z0-9])' : '';
    const compound = near.length > 0 && new RegExp(`[${KATAKANA_CLASS}]`, 'u').test(first) ? `(?<![${KANJI_CLASS}])` : '';
    return new RegExp(`${leftEdge(first)}${compound}${body}${right}`, 'iuy');
  }
  const end = written.charAt(written.length - 1);
  const stem = escapeRegExp(written.slice(0, -1));
  if (stem === '') return `"${written}" has no stem`;
  if (form === 'ichidan') {
    if (end !== 'る') return `ichidan "${written}" does not end in る`;
    return new RegExp(`${leftEdge(first)}${stem}(?![${KANJI_CLASS}])`, 'iuy');
  }
  const row = GODAN_ROWS[end];
  if (row === undefined) return `godan "${written}" does not end in a u-row kana`;
  return new RegExp(`${leftEdge(first)}${stem}[${row}]`, 'iuy');
}

const Line = z.union([z.tuple([z.string().min(1), z.string().min(1), Form]), z.tuple([z.string().min(1), z.string().min(1), Form, z.string().min(1)])]);

/** Parses casual.tsv; exported so tests can validate the file. */
export function parseCasual(text: string): { entries: CasualEntry[]; problems: string[] } {
  const entries: CasualEntry[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '' || raw.startsWith('#')) return;
    const parsed = Line.safeParse(raw.split('\t').map((c) => c.trim()));
    if (!parsed.success) {
      problems.push(`line ${line}: expected written<TAB>formal<TAB>clip|godan|ichidan[<TAB>near]`);
      return;
    }
    const [writtenRaw, formalRaw, form, nearRaw] = parsed.data;
    const near = (nearRaw ?? '').split('|').map((w) => w.normalize('NFKC').toLowerCase().trim()).filter((w) => w !== '');
    const formal = formalRaw.normalize('NFKC').toLowerCase();
    for (const w of writtenRaw.split('|')) {
      const written = w.normalize('NFKC').toLowerCase().trim();
      if (written === '' || written === formal) {
        problems.push(`line ${line}: an empty written form, or one read as itself`);
        continue;
      }
      const other = seen.get(written);
      if (other !== undefined) problems.push(`line ${line}: "${written}" already on line ${other}`);
      seen.set(written, line);
      const pattern = patternOf(written, form, near);
      if (typeof pattern === 'string') problems.push(`line ${line}: ${pattern}`);
      else entries.push({ written, formal, form, line, pattern, near });
    }
  });
  // Longest first: 元に戻す before 戻す, 覗き見 before 覗く.
  entries.sort((a, b) => b.written.length - a.written.length);
  return { entries, problems };
}

let cached: readonly CasualEntry[] | undefined;

/** casual.tsv, parsed once per process; throws on a problem, as the glossary does. */
export function loadCasual(): readonly CasualEntry[] {
  if (cached) return cached;
  const { entries, problems } = parseCasual(readFileSync(new URL('casual.tsv', LEXICON_DIR), 'utf8'));
  if (problems.length > 0) throw new Error(`casual.tsv: ${problems.slice(0, 5).join('; ')}`);
  cached = entries;
  return entries;
}

/**
 * The question as expansion reads it (NFKC; Latin matched in any case, its case kept): a clipped word replaced by its formal
 * word (アップした → アップロードした), a casual verb followed by the formal word between commas
 * (のぞいたり → のぞい、閲覧、たり), so the glossary finds the formal word's line and the verb's own
 * words stay. Text it has nothing to say about comes back unchanged (but NFKC).
 */
export function formalJa(text: string, entries: readonly CasualEntry[] = loadCasual()): string {
  const normal = text.normalize('NFKC');
  const lower = normal.toLowerCase();
  const applies = entries.filter((e) => e.near.length === 0 || e.near.some((w) => lower.includes(w)));
  let out = '';
  let at = 0;
  for (let i = 0; i < normal.length; i++) {
    for (const e of applies) {
      e.pattern.lastIndex = i;
      const m = e.pattern.exec(normal);
      if (!m) continue;
      const end = i + m[0].length;
      out += normal.slice(at, i) + (e.form === 'clip' ? e.formal : `${m[0]}、${e.formal}、`);
      at = end;
      i = end - 1;
      break;
    }
  }
  return at === 0 ? normal : out + normal.slice(at);
}
