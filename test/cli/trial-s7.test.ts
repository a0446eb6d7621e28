/**
 * What a new user's trial of `kotae answer` and `kotae products` found: whole sheets of a
 * workbook dropped without a word because their name held "cover" or "history" ("Disaster
 * Recovery", "Incident History"), and no command listing the products `--product` takes.
 * Each case runs the command as the user does (main(), in this process) on a small ingested
 * corpus with the extractive drafter.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { TempCorpus } from '../support/corpus.js';
import { kumoriCorpus, type IngestedCorpus } from './fixtures/kotae-env.js';

/** A made-up product's checksheet rows. */
const ROWS = [
  '1-1\t保管データを暗号化すること。\t○\t保管データはAES-256で暗号化しています。',
  '1-2\tバックアップを毎日取得すること。\t○\tバックアップは毎日取得し30日間保管しています。',
];

let made: TempCorpus;
let kotae: IngestedCorpus['kotae'];

beforeAll(async () => {
  ({ made, kotae } = await kumoriCorpus('kotae-trial-', ROWS));
}, 120_000);

afterAll(() => rmSync(made.root, { recursive: true, force: true }));

async function workbook(path: string): Promise<string> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('Cover').addRow(['Vendor security questionnaire: please answer every sheet.']);
  for (const name of ['General', 'Disaster Recovery', 'Data Discovery', 'Incident History']) {
    const ws = wb.addWorksheet(name);
    ws.addRow(['No.', 'Question', 'Response']);
    ws.addRow(['1', 'Is stored data encrypted?', '']);
    ws.addRow(['2', 'How often are backups taken?', '']);
  }
  await wb.xlsx.writeFile(path);
  return path;
}

describe('kotae answer on a workbook of several sheets', () => {
  it('reads every question sheet whatever its name, and names each sheet it skipped and why', async () => {
    const input = await workbook(join(made.root, 'vendor.xlsx'));
    const res = await kotae(['answer', input, '--product', 'kumori', '--out', join(made.root, 'vendor.out.xlsx')]);
    expect(res.code, res.err).toBe(0);
    for (const name of ['General', 'Disaster Recovery', 'Data Discovery', 'Incident History']) expect(res.err).toContain(`sheet "${name}": 2 questions`);
    expect(res.err).toContain('sheet "Cover": skipped — instruction or reference sheet');
    expect(res.out).toMatch(/^8 questions:/m);
  });
});

describe('kotae products', () => {
  it('lists the products --product accepts, one per line, and as JSON', async () => {
    const human = await kotae(['products']);
    expect(human.code, human.err).toBe(0);
    expect(human.out.trim().split('\n')).toEqual(['kumori']);
    const json = await kotae(['products', '--json']);
    expect(json.code).toBe(0);
    expect(z.object({ products: z.array(z.string()) }).parse(JSON.parse(json.out)).products).toEqual(['kumori']);
  });
});
