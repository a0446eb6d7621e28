import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Citation, Passage } from '../../src/domain.js';
import { appendSheet, evidenceCsv, evidenceTable } from '../../src/export/evidence.js';
import { customerAnswerText, customerSourceNote, resolvePublicSources, type PublicSource } from '../../src/export/sources.js';

const src = (over: Partial<PublicSource> = {}): PublicSource => ({
  kind: 'control',
  title: 'Acme Security Checksheet',
  vendor: 'Acme Inc.',
  url: 'https://example.com/acme.pdf',
  ref: '6-15',
  page: null,
  section: '',
  quote: 'Each person has a unique ID.',
  ...over,
});

describe('customer source note', () => {
  it('names each public document once, with the places cited in it and its url, in the sheet language', () => {
    const note = customerSourceNote([src(), src({ ref: '6-16' }), src({ title: 'Privacy Policy', vendor: null, url: null, ref: '', page: 3, kind: 'policy' })], 'en');
    expect(note).toBe('Source: Acme Security Checksheet (Acme Inc.), items 6-15 and 6-16, https://example.com/acme.pdf\nSource: Privacy Policy, page 3');
    expect(customerSourceNote([src({ ref: '', section: 'Backups' })], 'ja')).toBe('出典: Acme Inc. 「Acme Security Checksheet」 「Backups」 https://example.com/acme.pdf');
  });

  it('names an unnumbered policy section by its heading, as a section, not an item', () => {
    const policy = src({ kind: 'policy', title: 'Acme Incident Response', url: null, ref: 'Incident response', section: 'Incident response' });
    expect(customerSourceNote([policy], 'en')).toBe('Source: Acme Incident Response (Acme Inc.), section “Incident response”');
  });

  it('names no questionnaire answered for someone else and no earlier approval', () => {
    expect(customerSourceNote([src({ kind: 'qa', title: '' }), src({ kind: 'approved', title: '' })], 'en')).toBe('');
  });
});

describe('resolvePublicSources', () => {
  const citation = (over: Partial<Citation>): Citation => ({ id: 'p/x.txt#L9', kind: 'control', source: 'x.txt', locator: 'L9', ref: '2-1', text: 'quoted', score: 0.9, ...over });
  const passage = { id: 'p/x.txt#L9', page: null, sectionPath: ['Title', '2. Access'], title: 'Title' } as Passage;

  it('takes title, vendor and url from the manifest, section from the passage, and hides what is not public', async () => {
    const store = { getByIds: async (ids: string[]) => (ids.includes(passage.id) ? [passage] : []) };
    const sources = await resolvePublicSources({ store, corpusDir: '/nonexistent' }, [
      citation({ title: 'Title' }),
      citation({ id: 'p/past.csv#R3', kind: 'qa', source: 'past.csv', locator: 'past!R3', title: 'Globex questionnaire', text: 'our answer to Globex' }),
    ]);
    // No manifest at that path: the citation's own title still names it, without vendor or url.
    expect(sources.get('p/x.txt#L9')).toMatchObject({ title: 'Title', vendor: null, url: null, ref: '2-1', section: '2. Access', quote: 'quoted' });
    expect(sources.get('p/past.csv#R3')).toMatchObject({ title: '', quote: '', ref: '' });
  });
});

describe('customer answer text', () => {
  it('drops kotae’s review marker and renames a source written the internal way', () => {
    const c: Citation = { id: 'k/krew.txt#L84', kind: 'control', source: 'krew.txt', locator: 'L84', ref: '6-15', text: '', score: 1 };
    const sources = new Map([[c.id, src({ title: 'krew checksheet' })]]);
    expect(customerAnswerText('[Needs review] Yes. Our security checksheet states (krew.txt L84 (6-15)):', [c], sources)).toBe('Yes. Our security checksheet states (krew checksheet 6-15):');
    const qa: Citation = { id: 'k/globex.csv#R4', kind: 'qa', source: 'globex.csv', locator: 'past!R4', ref: '4', title: 'Globex questionnaire', text: '', score: 1 };
    const hidden = new Map([[qa.id, src({ kind: 'qa', title: '' })]]);
    expect(customerAnswerText('As stated (globex.csv past!R4 (4)).', [qa], hidden)).toBe('As stated (4).');
  });
});

describe('evidence register', () => {
  const rows = [
    { sheet: 'Q', row: 5, ref: '1', question: 'Unique IDs?', sources: [src()], approvedBy: 'U_SEC', approvedAt: '2026-11-30T10:00:00.000Z' },
    { sheet: 'Q', row: 6, ref: '2', question: 'Past?', sources: [src({ kind: 'qa', title: '', quote: '' })], approvedBy: 'U_SEC', approvedAt: null },
  ];

  it('lists one line per source with approver and date; unnamed kinds by what they are', () => {
    const table = evidenceTable(rows, 'en');
    expect(table[1]).toEqual(['Q', '5', '1', 'Unique IDs?', 'Acme Security Checksheet (Acme Inc.)', 'item 6-15', 'Each person has a unique ID.', 'https://example.com/acme.pdf', 'U_SEC', '2026-11-30']);
    expect(table[2]?.slice(4, 7)).toEqual(['A questionnaire we answered before', '', '']);
  });

  it('appends a sheet under a free name, and a CSV never holds a live formula', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Evidence').getCell('A1').value = 'customer data';
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const added = await appendSheet(bytes, 'Evidence', [['=HYPERLINK("x")', 'b']]);
    expect(added.name).toBe('Evidence (2)');
    const back = new ExcelJS.Workbook();
    await back.xlsx.load(added.bytes as unknown as ArrayBuffer);
    expect(back.worksheets.map((w) => w.name)).toEqual(['Evidence', 'Evidence (2)']);
    expect(back.getWorksheet('Evidence')?.getCell('A1').value).toBe('customer data');
    // A string cell, not a formula, holding the exact text (no visible apostrophe); the CSV keeps its escape.
    const cell = back.getWorksheet('Evidence (2)')?.getCell('A1');
    expect(cell?.type).toBe(ExcelJS.ValueType.String);
    expect(cell?.formula).toBeUndefined();
    expect(cell?.value).toBe('=HYPERLINK("x")');
    expect(evidenceCsv([['=1+1']], { bom: true, recordDelimiter: '\r\n' }).toString('utf8')).toBe('\ufeff\'=1+1\r\n');
  });
});
