/**
 * The one vocabulary of status marks and words (○/×/△, はい/いいえ, 対応/非対応, Yes/No/N/A,
 * TRUE/FALSE ...) mapped to the domain `Status`. Checksheet parsing (src/corpus/status.ts)
 * and questionnaires (src/spreadsheet/status.ts) both read cells through it, so a word
 * means the same everywhere; where a context reads a mark differently (a checksheet's
 * '-' is partial, a customer's '-' is N/A) that context says so explicitly.
 */
import type { Status } from './domain.js';

export type KnownStatus = Exclude<Status, 'unknown'>;

// Whole-cell tokens, compared after `norm`. Order inside a list does not matter.
const TOKENS: Record<KnownStatus, string[]> = {
  yes: [
    'はい', '○', '〇', '◯', '◎', 'yes', 'y', '対応', '対応済', '対応済み', '対応可', '実施', '実施済', '実施済み',
    '可', '有', 'あり', '有り', '適合', '済', 'implemented', 'compliant', 'true', 'fully implemented', 'in place',
  ],
  no: [
    'いいえ', '×', '✕', '✖', 'x', 'no', 'n', '未対応', '未対策', '未実施', '非対応', '対応不可', '不可', '無', 'なし', '無し',
    '不適合', 'not implemented', 'non-compliant', 'noncompliant', 'not compliant', 'false',
  ],
  partial: [
    '一部対応', '一部', '一部実施', '一部可', '部分的', '部分対応', '部分的に対応', '△', '▲', 'Δ', '※', 'partial',
    'partially', 'partly', 'partially implemented', 'partially compliant', 'in progress',
  ],
  not_applicable: [
    '該当なし', '該当しない', '非該当', '対象外', '該当無し', '対応不要', 'n/a', 'na', 'not applicable', '-', 'ー', '―', '—', '－', '−',
  ],
};

const LOOKUP = new Map<string, KnownStatus>();
for (const [status, words] of Object.entries(TOKENS) as Array<[KnownStatus, string[]]>) {
  for (const w of words) LOOKUP.set(normStatusWord(w), status);
}

/** NFKC, lower case, spaces squashed, trailing punctuation dropped. */
export function normStatusWord(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\s\u3000]+/gu, ' ').trim().replace(/[。.、,!！]+$/u, '');
}

/** The status a whole cell means ("はい", "○", "N/A", "非対応"), or 'unknown'. */
export function statusFromToken(text: string): Status {
  return LOOKUP.get(normStatusWord(text)) ?? 'unknown';
}
