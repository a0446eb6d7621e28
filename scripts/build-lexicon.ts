/**
 * Regenerates the derived lexicon files in src/retrieve/lexicon/:
 *   synonyms.tsv  from the sudachi-synonyms-dictionary npm package (Apache-2.0)
 *   edict.tsv     from Debian's edict package: /usr/share/edict/edict and compdic (EDRDG licence)
 * and validates the hand-curated glossary.tsv and shorthand.tsv.
 *
 *   apt-get update && apt-get install -y edict     # once, for /usr/share/edict/
 *   npx tsx scripts/build-lexicon.ts [--edict PATH] [--compdic PATH]
 *
 * The outputs are committed: runtime and CI never need the edict package or the 14 MB JSON.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { LEXICON_DIR, parseGlossary, parseSynonyms, parseEdict } from '../src/retrieve/lexicon.js';
import { parseShorthand } from '../src/retrieve/shorthand.js';

const outDir = fileURLToPath(LEXICON_DIR);
/** The source packages (sudachi-synonyms-dictionary, wink-lexicon) ship CommonJS data files. */
const require = createRequire(import.meta.url);

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

const KANJI = /[\u3400-\u9fff\uf900-\ufaff々]/u;
const KATAKANA = /[\u30a1-\u30fa]/u;
const HIRAGANA = /[\u3041-\u309f]/gu;

/**
 * Words so common in checksheets that, as a synonym of something else, they would make every
 * row "cover" the concept. They neither trigger expansion nor are added by it.
 */
const GENERIC_JA = new Set([
  '情報', 'データ', 'システム', '管理', '利用', '提供', '実施', '対応', '確認', '設定', '機能', 'サービス', '場合',
  '対策', '運用', '方法', '内容', '状況', '事項', '必要', '可能', '対象', '関係', '処理', '作業', '業務', '使用',
  '事業', '会社', '企業', '組織', '全体', '一般', '全部', '全て', '部分', '方式', '手段', '結果', '目的', '問題',
  '仕事', '活動', '状態', '様子', '種類', '程度', '時間', '期間', '時期', '場所', '範囲', '規模', '基本',
]);

// ---------------------------------------------------------------------------------------------
// Sudachi synonyms.

interface SudachiItem {
  taigenYogen: string;
  expandControl: number;
  bunya: string[];
  midashi: string;
}
interface SudachiGroup {
  id: string;
  items: SudachiItem[];
}

/** Fields whose words never help match a security checksheet (names, food, sport, places...). */
const SKIP_BUNYA = new Set([
  '企業名', '旧企業名', '人名', '料理', '動植物', 'スポーツ', '地名', '大学名', '音楽', '娯楽', 'ファッション', '美容',
  '店', '店名', 'キャラ', '色', '観光', '交通', '国名', '組織名', '旧組織名', '商品', '不快', '単位', '地形',
]);

/** Kept member: NFKC + lowercase; Japanese words need kanji or katakana, latin only as an acronym. */
function sudachiWord(midashi: string): string | null {
  const w = midashi.normalize('NFKC').trim();
  if ([...w].length < 2 || /\s/.test(w)) return null;
  if (KANJI.test(w) || KATAKANA.test(w)) {
    const hiragana = w.match(HIRAGANA)?.length ?? 0;
    // Mostly-hiragana words (あいまい, 問いあわせ) rarely appear that way in formal checksheets.
    if (hiragana * 2 > [...w].length) return null;
    return w.toLowerCase();
  }
  // Latin members are translations (telework, user); only short upper-case acronyms (IT, OS, PC)
  // occur inside Japanese evidence.
  return /^[A-Z][A-Z0-9]{1,5}$/.test(w) ? w.toLowerCase() : null;
}

async function buildSynonyms(): Promise<{ lines: string[]; groups: number }> {
  const mod = require('sudachi-synonyms-dictionary') as { fetchDictionary(): Promise<readonly SudachiGroup[]> };
  const groups = await mod.fetchDictionary();
  const lines: string[] = [];
  for (const g of groups) {
    if (g.items.some((i) => i.bunya.some((b) => SKIP_BUNYA.has(b)))) continue;
    const members = new Map<string, boolean>(); // word → may trigger
    for (const i of g.items) {
      if (i.taigenYogen === '用言' || i.expandControl === 2) continue;
      const w = sudachiWord(i.midashi);
      if (w === null || GENERIC_JA.has(w)) continue;
      members.set(w, (members.get(w) ?? false) || i.expandControl === 0);
    }
    if (members.size < 2 || ![...members.values()].some(Boolean)) continue;
    lines.push([...members].map(([w, trigger]) => (trigger ? w : `~${w}`)).join('|'));
  }
  return { lines, groups: groups.length };
}

// ---------------------------------------------------------------------------------------------
// EDICT.

/** Entry or sense tags that mark a word as archaic, rare, slang or usually written in kana. */
const BAD_MISC = new Set([
  'arch', 'obs', 'obsc', 'rare', 'ok', 'ik', 'ok', 'oK', 'iK', 'derog', 'vulg', 'X', 'sl', 'm-sl', 'male-sl', 'joc',
  'poet', 'on-mim', 'proverb', 'id', 'uk', 'fem', 'male', 'chn', 'hon', 'hum', 'pol', 'ateji', 'gikun', 'io',
]);
/** Fields unrelated to IT, business or law. */
const BAD_FIELD = new Set([
  'food', 'sumo', 'baseb', 'mahj', 'Buddh', 'Shinto', 'shogi', 'go', 'music', 'sports', 'astron', 'biol', 'bot',
  'zool', 'anat', 'chem', 'geol', 'MA', 'ling', 'physics', 'math', 'med', 'mil', 'archit', 'art', 'cards', 'hanaf',
  'Christn', 'tradem', 'myth', 'kabuki', 'noh', 'print', 'surg', 'gramm', 'vet', 'mining', 'biochem', 'genet',
  'ent', 'pharm', 'psych', 'psy', 'psyanal', 'boxing', 'golf', 'horse', 'ski', 'sumo', 'tennis', 'fish', 'agric',
]);
const NOUNISH = new Set(['n', 'vs', 'n-suf', 'n-pref', 'n-adv', 'n-t', 'adj-no']);
const STOP_GLOSS = new Set(['a', 'an', 'the', 'to', 'of', 'and', 'or', 'in', 'on', 'at', 'for', 'by', 'with', 'it', 'one', 'thing', 'something', 'someone', 'person', 'etc']);

interface Candidate {
  head: string;
  score: number;
  /** The sense is a suru-verb noun (n,vs): 暗号化 can translate "encrypted", 百貨店 cannot translate "stored". */
  verbal: boolean;
}

/** `(n,vs) (1) encryption` → tags ['n','vs'], ['1'] and text `encryption`. */
function splitTags(part: string): { tags: string[]; text: string } {
  const tags: string[] = [];
  let text = part.trim();
  let m: RegExpExecArray | null;
  while ((m = /^\(([^()]*)\)\s*/.exec(text))) {
    tags.push(...(m[1] ?? '').split(','));
    text = text.slice(m[0].length);
  }
  return { tags, text };
}

function cleanGloss(text: string): string | null {
  let g = text
    .replace(/\([^()]*\)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
  g = g.replace(/^(to|a|an|the) /, '');
  if (!/^[a-z][a-z0-9 -]*$/.test(g) || g.length > 32) return null;
  const words = g.split(' ');
  if (words.length > 3 || words.every((w) => STOP_GLOSS.has(w))) return null;
  return g;
}

function edictHead(raw: string): string | null {
  const h = raw.normalize('NFKC').replace(/・/g, '').toLowerCase();
  if ([...h].length < 2 || [...h].length > 10) return null;
  if (!KANJI.test(h) && !KATAKANA.test(h)) return null;
  const hiragana = h.match(HIRAGANA)?.length ?? 0;
  if (hiragana > 0 && (hiragana > 2 || (h.match(/[\u3400-\u9fff々]/gu)?.length ?? 0) < 2)) return null;
  if (/[^\u3041-\u30ff\u3400-\u9fff\uf900-\ufaff々ーa-z0-9]/u.test(h)) return null;
  return h;
}

function addEdictFile(path: string, computing: boolean, out: Map<string, Candidate[]>): number {
  const text = iconv.decode(readFileSync(path), 'EUC-JP');
  let entries = 0;
  for (const line of text.split('\n')) {
    const m = /^(\S+)(?: \[[^\]]*\])? \/(.*)\/$/.exec(line);
    if (!m) continue;
    const head = edictHead(m[1] ?? '');
    if (head === null) continue;
    const parts = (m[2] ?? '').split('/');
    const common = parts.includes('(P)');
    let pos: string[] = [];
    let sense = 0;
    let glossInSense = 0;
    let senseMisc: string[] = [];
    let used = false;
    for (const part of parts) {
      if (part === '(P)' || part.startsWith('EntL')) continue;
      const { tags, text: body } = splitTags(part);
      const senseNo = tags.find((t) => /^\d+$/.test(t));
      const posTags = tags.filter((t) => NOUNISH.has(t) || /^(v|adj|adv|exp|int|conj|prt|pref|suf|ctr|num|pn|aux|cop|unc)/.test(t));
      if (posTags.length > 0) pos = posTags;
      if (senseNo !== undefined || posTags.length > 0 || sense === 0) {
        if (senseNo !== undefined) sense = Number(senseNo);
        else if (sense === 0) sense = 1;
        else if (posTags.length > 0) sense++;
        glossInSense = 0;
        senseMisc = [];
      }
      senseMisc.push(...tags.filter((t) => !/^\d+$/.test(t) && !posTags.includes(t)));
      glossInSense++;
      if (!pos.some((p) => NOUNISH.has(p))) continue;
      if (senseMisc.some((t) => BAD_MISC.has(t) || BAD_FIELD.has(t))) continue;
      const gloss = cleanGloss(body);
      if (gloss === null) continue;
      const score =
        (common ? 100 : 0) +
        (computing || senseMisc.includes('comp') ? 10 : 0) +
        (sense === 1 ? 20 : sense === 2 ? 10 : 0) +
        (glossInSense === 1 ? 15 : glossInSense === 2 ? 8 : 0) +
        (KANJI.test(head) ? 3 : 0) -
        Math.max(0, [...head].length - 6) * 5;
      const verbal = pos.includes('vs');
      const list = out.get(gloss) ?? [];
      const prev = list.find((c) => c.head === head);
      if (prev) {
        prev.score = Math.max(prev.score, score);
        prev.verbal ||= verbal;
      } else list.push({ head, score, verbal });
      out.set(gloss, list);
      used = true;
    }
    if (used) entries++;
  }
  return entries;
}

/** Headwords kept per English key, and the least score a key's best headword needs to be kept. */
const HEADS_PER_KEY = 3;
const MIN_BEST_SCORE = 35;
/**
 * Multi-word glosses are mostly descriptions ("large number"), not terms: two-word keys need a
 * common (P) or computing headword, three-word keys a common one. Keeps edict.tsv under 2 MB.
 */
const MIN_BEST_SCORE_2_WORDS = 45;
const MIN_BEST_SCORE_3_WORDS = 100;
const MIN_RUNNER_UP_SCORE = 30;

function buildEdict(edictPath: string, compdicPath: string): { lines: string[]; entries: number } {
  const candidates = new Map<string, Candidate[]>();
  let entries = addEdictFile(edictPath, false, candidates);
  if (existsSync(compdicPath)) entries += addEdictFile(compdicPath, true, candidates);
  const lines: string[] = [];
  for (const key of [...candidates.keys()].sort()) {
    const list = (candidates.get(key) ?? []).sort((a, b) => b.score - a.score || a.head.length - b.head.length || (a.head < b.head ? -1 : 1));
    const best = list[0];
    const words = key.split(' ').length;
    const min = words >= 3 ? MIN_BEST_SCORE_3_WORDS : words === 2 ? MIN_BEST_SCORE_2_WORDS : MIN_BEST_SCORE;
    if (!best || best.score < min) continue;
    // Keep runners-up only when they are reasonably strong themselves.
    const heads = list
      .filter((c, i) => i === 0 || c.score >= MIN_RUNNER_UP_SCORE)
      .slice(0, HEADS_PER_KEY)
      .map((c) => (c.verbal ? `+${c.head}` : c.head));
    lines.push(`${key}\t${heads.join('|')}`);
  }
  return { lines, entries };
}

// ---------------------------------------------------------------------------------------------

function write(name: string, header: string[], lines: string[]): void {
  const path = `${outDir}${name}`;
  writeFileSync(path, `${header.map((h) => `# ${h}`).join('\n')}\n${lines.join('\n')}\n`);
  console.log(`${name}: ${lines.length} lines, ${(statSync(path).size / 1024).toFixed(0)} KiB`);
}

/**
 * English words WordNet (through the wink-lexicon npm package) knows only as verbs: notify, encrypt,
 * rotate, never a noun. The coordination split (src/retrieve/subquestions.ts) reads "…subprocessors
 * and notify customers…" by them as two doings, not two things one verb is asked of.
 */
function buildVerbs(): string[] {
  const words = require('wink-lexicon/src/wn-words.js') as Record<string, number>;
  const wordSenses = require('wink-lexicon/src/wn-word-senses.js') as number[][];
  const senses = require('wink-lexicon/src/wn-senses.js') as string[];
  return Object.entries(words)
    .filter(([w, i]) => {
      const kinds = new Set((wordSenses[i] ?? []).map((k) => senses[k]?.split('.')[0]));
      return /^[a-z]+$/.test(w) && kinds.has('verb') && !kinds.has('noun');
    })
    .map(([w]) => w)
    .sort();
}

async function main(): Promise<void> {
  const glossary = parseGlossary(readFileSync(`${outDir}glossary.tsv`, 'utf8'));
  for (const p of glossary.problems) console.error(`glossary.tsv ${p}`);
  console.log(`glossary.tsv: ${glossary.concepts.length} concepts, ${glossary.problems.length} problems`);
  const shorthand = parseShorthand(readFileSync(`${outDir}shorthand.tsv`, 'utf8'));
  for (const p of shorthand.problems) console.error(`shorthand.tsv ${p}`);
  console.log(`shorthand.tsv: ${shorthand.entries.length} written forms, ${shorthand.stop.size} stop words, ${shorthand.problems.length} problems`);
  const handProblems = glossary.problems.length + shorthand.problems.length;

  const verbs = buildVerbs();
  write('verbs.tsv', ['English words WordNet 3.0 knows only as verbs (wink-lexicon npm package, MIT; WordNet licence, see', 'ATTRIBUTION.md), by scripts/build-lexicon.ts. One word a line. Do not edit by hand.'], verbs);

  const syn = await buildSynonyms();
  write(
    'synonyms.tsv',
    [
      'Derived from Sudachi synonyms (sudachi-synonyms-dictionary npm package), Apache-2.0, by scripts/build-lexicon.ts.',
      'One group per line; "~word" is expanded to but does not trigger expansion. Do not edit by hand.',
    ],
    syn.lines,
  );
  console.log(`  from ${syn.groups} Sudachi groups; parsed back: ${parseSynonyms(readFileSync(`${outDir}synonyms.tsv`, 'utf8')).map.size} trigger terms`);

  const edictPath = arg('--edict', '/usr/share/edict/edict');
  if (!existsSync(edictPath)) {
    console.error(`${edictPath} missing: apt-get update && apt-get install -y edict (edict.tsv left unchanged)`);
    process.exitCode = handProblems > 0 ? 1 : 0;
    return;
  }
  const ed = buildEdict(edictPath, arg('--compdic', '/usr/share/edict/compdic'));
  write(
    'edict.tsv',
    [
      'Derived from EDICT and COMPDIC (Debian package edict), (c) Electronic Dictionary Research and Development Group,',
      'CC BY-SA (see ATTRIBUTION.md); by scripts/build-lexicon.ts. english<TAB>headword|headword, best first;',
      '"+headword" is a suru-verb noun (n,vs). Do not edit by hand.',
    ],
    ed.lines,
  );
  console.log(`  from ${ed.entries} dictionary entries; parsed back: ${parseEdict(readFileSync(`${outDir}edict.tsv`, 'utf8')).size} keys`);
  if (handProblems > 0) process.exitCode = 1;
}

await main();
