/**
 * The LanceDB row layout of a Passage. Rows are flat (Arrow has no zod); `fromRow`
 * validates on the way out so a hand-edited or foreign table fails loudly, not subtly.
 */
import { Field, FixedSizeList, Float32, Int32, Schema, Utf8, type DataType } from 'apache-arrow';
import { Passage } from '../domain.js';

export const PASSAGES_TABLE = 'passages';
/** The nullable column an approved answer's Approval is kept in (see PassageRow.approval). */
export const APPROVAL_COLUMN = 'approval';

export interface PassageRow {
  id: string;
  product: string;
  kind: string;
  source: string;
  title: string;
  locator: string;
  line: number | null;
  page: number | null;
  /** JSON array: Arrow list columns add nothing here and complicate mergeInsert. */
  section_path: string;
  ref: string;
  requirement: string;
  answer: string;
  status: string;
  /** What full-text search indexes: section path, requirement and answer. */
  text: string;
  /** Content hash of the source file, so incremental ingest can skip unchanged files. */
  file_hash: string;
  /** Glossary concept tags (`g12 g40`) the text mentions: see src/retrieve/tags.ts. */
  concepts: string;
  /**
   * JSON of an approved answer's Approval; absent from document rows, and from tables made
   * before it was kept (addApprovalColumn adds it when the library first writes there).
   */
  approval?: string | null;
  vector?: number[];
  [key: string]: unknown;
}

export function passageSchema(dimensions: number): Schema {
  const fields: Field<DataType>[] = [
    new Field('id', new Utf8(), false),
    new Field('product', new Utf8(), false),
    new Field('kind', new Utf8(), false),
    new Field('source', new Utf8(), false),
    new Field('title', new Utf8(), false),
    new Field('locator', new Utf8(), false),
    new Field('line', new Int32(), true),
    new Field('page', new Int32(), true),
    new Field('section_path', new Utf8(), false),
    new Field('ref', new Utf8(), false),
    new Field('requirement', new Utf8(), false),
    new Field('answer', new Utf8(), false),
    new Field('status', new Utf8(), false),
    new Field('text', new Utf8(), false),
    new Field('file_hash', new Utf8(), false),
    new Field('concepts', new Utf8(), false),
    new Field(APPROVAL_COLUMN, new Utf8(), true),
  ];
  if (dimensions > 0) {
    fields.push(new Field('vector', new FixedSizeList(dimensions, new Field('item', new Float32(), true)), false));
  }
  return new Schema(fields);
}

/** The text that is searched: headings give context that the row text often omits. */
export function searchText(passage: Passage): string {
  return [passage.sectionPath.join(' '), passage.requirement, passage.answer].filter((s) => s.length > 0).join('\n');
}

export function toRow(passage: Passage, fileHash: string, vector: number[] | undefined, tag: (text: string) => string): PassageRow {
  const text = searchText(passage);
  const row: PassageRow = {
    id: passage.id,
    product: passage.product,
    kind: passage.kind,
    source: passage.source,
    title: passage.title,
    locator: passage.locator,
    line: passage.line,
    page: passage.page,
    section_path: JSON.stringify(passage.sectionPath),
    ref: passage.ref,
    requirement: passage.requirement,
    answer: passage.answer,
    status: passage.status,
    text,
    file_hash: fileHash,
    concepts: tag(text),
  };
  // Only approved answers carry the column: document rows stay writable into a table made before it.
  if (passage.approval) row.approval = JSON.stringify(passage.approval);
  if (vector && vector.length > 0) row.vector = vector;
  return row;
}

export function fromRow(row: Record<string, unknown>): Passage {
  return Passage.parse({
    id: row.id,
    product: row.product,
    kind: row.kind,
    source: row.source,
    title: row.title,
    locator: row.locator,
    line: row.line ?? null,
    page: row.page ?? null,
    sectionPath: JSON.parse(String(row.section_path ?? '[]')) as unknown,
    ref: row.ref,
    requirement: row.requirement,
    answer: row.answer,
    status: row.status,
    ...(typeof row.approval === 'string' && row.approval !== '' ? { approval: JSON.parse(row.approval) as unknown } : {}),
  });
}

/** Quotes a string literal for a LanceDB SQL filter. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
