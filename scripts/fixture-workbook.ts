/**
 * What the fixture scripts share: where fixtures live, and a workbook whose metadata is fixed,
 * so that a rebuilt fixture differs from the committed one only in the zip's own timestamps.
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';

export const FIXTURES_DIR = join(import.meta.dirname, '..', 'test', 'fixtures');
const FIXED = new Date('2024-01-01T00:00:00Z');

export function fixtureWorkbook(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'kotae fixtures';
  wb.created = FIXED;
  wb.modified = FIXED;
  return wb;
}
