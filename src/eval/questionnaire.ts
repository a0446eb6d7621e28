/**
 * Scores a filled-in questionnaire against its key (see test/eval/README.md): each keyed
 * row's Response cell gives the status, the citations listed in its Comments cell are the
 * retrieved rows, and a row left without a status but marked for review is an abstention.
 */
import ExcelJS from 'exceljs';
import { z } from 'zod';
import type { Passage, Status } from '../domain.js';
import { citationFromHit } from '../draft/citations.js';
import { sourceLabel } from '../source-label.js';
import type { EvalItem } from './dataset.js';
import type { ItemOutcome, RowRef } from './metrics.js';

export const KeyLine = z.object({ sheet: z.string(), row: z.number().int().positive(), no: z.number().int(), id: z.string() });
export type KeyLine = z.infer<typeof KeyLine>;

const STATUS_WORDS: Record<string, Status> = {
  はい: 'yes',
  yes: 'yes',
  いいえ: 'no',
  no: 'no',
  一部対応: 'partial',
  partial: 'partial',
  該当なし: 'not_applicable',
  'n/a': 'not_applicable',
};

function text(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && 'richText' in value) return value.richText.map((r) => r.text).join('');
  return String(value);
}

/**
 * The label a filled file names a passage by: the writer's own, made from the citation the answer
 * carries. Labelled from the stored passage alone, every unnumbered passage of a sheet (its
 * preamble, each certification line) was its bare title, the first of them took every mention,
 * and a cited certificate line counted as a miss.
 */
export function passageLabel(passage: Passage): string {
  return sourceLabel(citationFromHit({ passage, score: 0 }));
}

/**
 * The rows a comment cell cites, in order of first appearance, each once, found by their labels
 * (the manifest title and item, as kotae writes them; see sourceLabel). Longer labels are matched
 * first and cut out, so "Title 6-1" is not also read as "Title 6-15" or as the bare title. A row
 * named twice (quoted under the answer, then listed among the sources) is one citation: read
 * twice it took two of the five places R@5 looks at.
 */
export function citedRows(comment: string, labelled: Array<{ label: string; row: RowRef }>): RowRef[] {
  const found: Array<{ at: number; row: RowRef }> = [];
  let rest = comment;
  for (const { label, row } of [...labelled].sort((a, b) => b.label.length - a.label.length)) {
    if (label.length === 0) continue;
    let at = rest.indexOf(label);
    while (at >= 0) {
      const end = at + label.length;
      // A label ends at a boundary: "6-1" must not match inside "6-15".
      if (!/[0-9A-Za-z-]/.test(rest[end] ?? '')) {
        found.push({ at, row });
        rest = `${rest.slice(0, at)}${'\u0000'.repeat(label.length)}${rest.slice(end)}`;
      }
      at = rest.indexOf(label, at + 1);
    }
  }
  const rows = found.sort((a, b) => a.at - b.at).map((f) => f.row);
  return rows.filter((r, i) => rows.indexOf(r) === i);
}

export async function scoreQuestionnaire(
  filled: Uint8Array,
  key: KeyLine[],
  items: Map<string, EvalItem>,
  labelled: Array<{ label: string; row: RowRef }>,
): Promise<ItemOutcome[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(filled) as unknown as ArrayBuffer);
  const outcomes: ItemOutcome[] = [];
  for (const k of key) {
    const item = items.get(k.id);
    const ws = wb.getWorksheet(k.sheet);
    if (!item || !ws) continue;
    let responseCol = 0;
    let commentCol = 0;
    for (let r = 1; r <= 10 && (responseCol === 0 || commentCol === 0); r++) {
      ws.getRow(r).eachCell((cell, col) => {
        const t = text(cell.value).trim();
        if (t === '回答' || t === 'Response') responseCol = col;
        if (t === '備考' || t === 'Comments') commentCol = col;
      });
    }
    const row = ws.getRow(k.row);
    const response = text(row.getCell(responseCol).value).trim().toLowerCase();
    const comment = text(row.getCell(commentCol).value);
    const cited: RowRef[] = citedRows(comment, labelled);
    const status = STATUS_WORDS[response] ?? 'unknown';
    // Abstained: no status, no source, and marked for review.
    outcomes.push({ item, retrieved: cited, cited, abstained: response === '' && cited.length === 0 && /要確認|needs review/i.test(comment), status });
  }
  return outcomes;
}
