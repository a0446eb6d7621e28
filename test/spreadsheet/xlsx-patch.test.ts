/** The sheet-XML patcher on hand-written parts: the shapes other tools write, not only ExcelJS's. */
import { describe, expect, it } from 'vitest';
import { patchSheetXml } from '../../src/spreadsheet/xlsx/patch.js';

const writes = (...w: Array<[number, number, string]>): Map<number, Map<number, string>> => {
  const m = new Map<number, Map<number, string>>();
  for (const [r, c, v] of w) m.set(r, (m.get(r) ?? new Map<number, string>()).set(c, v));
  return m;
};

const sheet = (body: string, head = '<dimension ref="A1:B3"/>', tail = '<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>'): string =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${head}<cols><col min="3" max="3" width="30" style="7" customWidth="1"/></cols><sheetData>${body}</sheetData>${tail}</worksheet>`;

describe('patchSheetXml', () => {
  it('replaces an existing cell keeping its style, inserts missing cells in column order with the column style', () => {
    const xml = sheet('<row r="2" spans="1:2"><c r="A2" t="s"><v>0</v></c><c r="B2" s="4"/><c r="E2" s="2"><v>5</v></c></row>');
    const out = patchSheetXml(xml, writes([2, 2, 'はい'], [2, 3, 'a < b & c']));
    expect(out).toContain('<c r="B2" s="4" t="inlineStr"><is><t xml:space="preserve">はい</t></is></c><c r="C2" s="7" t="inlineStr"><is><t xml:space="preserve">a &lt; b &amp; c</t></is></c><c r="E2" s="2"><v>5</v></c>');
    expect(out).toContain('spans="1:3"');
    expect(out).toContain('<dimension ref="A1:C3"/>');
    expect(out).toContain('<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>');
    expect(out.startsWith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet')).toBe(true);
  });

  it('inserts missing rows in order and opens self-closing rows', () => {
    const xml = sheet('<row r="1"><c r="A1"><v>1</v></c></row><row r="3" ht="20" customHeight="1"/><row r="9"><c r="A9"><v>9</v></c></row>');
    const out = patchSheetXml(xml, writes([3, 2, 'x'], [5, 2, 'y'], [12, 1, 'z']));
    expect(out).toMatch(/<row r="1">.*<\/row><row r="3" ht="20" customHeight="1"><c r="B3" t="inlineStr">.*<\/row><row r="5"><c r="B5" t="inlineStr">.*<\/row><row r="9">.*<\/row><row r="12"><c r="A12"/);
  });

  it('handles namespace prefixes, implicit references and an empty sheetData', () => {
    const prefixed =
      '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row><x:c t="s"><x:v>0</x:v></x:c><x:c/></x:row></x:sheetData></x:worksheet>';
    const out = patchSheetXml(prefixed, writes([1, 2, 'ok']));
    expect(out).toContain('<x:c r="B1" t="inlineStr"><x:is><x:t xml:space="preserve">ok</x:t></x:is></x:c>');
    const empty = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>';
    expect(patchSheetXml(empty, writes([2, 1, 'v']))).toContain('<sheetData><row r="2"><c r="A2" t="inlineStr">');
  });

  it('never replaces a formula cell and drops characters XML cannot carry', () => {
    const xml = sheet('<row r="2"><c r="B2"><f>SUM(1,2)</f><v>3</v></c></row>');
    expect(patchSheetXml(xml, writes([2, 2, 'text']))).toContain('<c r="B2"><f>SUM(1,2)</f><v>3</v></c>');
    expect(patchSheetXml(sheet(''), writes([2, 1, 'a\u0001b\r\nc']))).toContain('>ab\nc</t>');
  });

  it('finds col styles and the dimension under a namespace prefix, and scans a hostile head in linear time', () => {
    const prefixed =
      '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:dimension ref="A1"/><x:cols><x:col min="2" max="2" style="9"/></x:cols><x:sheetData/></x:worksheet>';
    const out = patchSheetXml(prefixed, writes([3, 2, 'v']));
    expect(out).toContain('<x:dimension ref="A1:B3"/>');
    expect(out).toContain('<x:c r="B3" s="9" t="inlineStr">');
    // 100,000 start tags that never end before <sheetData>: the old `<col\b([^>]*)>` scan
    // went over the rest of the head from each of them (about a minute).
    const junk = Array.from({ length: 100_000 }, (_, i) => `<col k${i} `).join('');
    const hostile = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1"/>${junk}<sheetData/></worksheet>`;
    const started = Date.now();
    expect(patchSheetXml(hostile, writes([2, 1, 'ok']))).toContain('<sheetData><row r="2"><c r="A2" t="inlineStr">');
    // A generous bound: the patcher is synchronous, so the test timeout alone cannot catch a hang.
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 10_000);
});
