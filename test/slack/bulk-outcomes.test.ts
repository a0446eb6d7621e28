/**
 * What a shared questionnaire gets back in Slack, beyond the plain filled CSV of
 * bulk.test.ts, through the real bot and the fake Slack: a file where no cell could be
 * written (also a workbook whose drafts would fill only the added kotae sheet) gets a plain
 * explanation and no file (as `kotae answer` writes none), and the
 * file posted for a status-only checklist is the internal draft file with the added
 * `kotae` sheet, as the CLI's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/slack/blocks.js';
import { fixture, loadWorkbook, valueText, xlsx } from '../questionnaire/helpers.js';
import { SALES, blockText, nextTs, startHarness, type Harness } from './harness.js';

/** Own text: every answer cell is already filled in by the customer's team. */
const ANSWERED_CSV = [
  'No,質問,回答,備考',
  '1,保存データを暗号化していますか,はい(自社で確認済み),',
  '2,通信経路は暗号化されていますか,はい,',
  '3,定期的にバックアップを取得していますか,いいえ,',
  '',
].join('\n');

function said(h: Harness, channel: string): string[] {
  return h.fake.calls.filter((c) => c.args.channel === channel && (c.method === 'chat.postMessage' || c.method === 'chat.update')).map((c) => `${String(c.args.text)}\n${blockText(c.args.blocks)}`);
}

describe('bulk upload outcomes in Slack', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('says plainly that nothing was written, with what was found and why, and posts no file', async () => {
    const meta = h.fake.host({ id: 'FDONE', name: 'already-answered.csv', bytes: Buffer.from(ANSWERED_CSV, 'utf8'), contentType: 'text/csv' });
    const ts = nextTs();
    await h.event({ type: 'message', subtype: 'file_share', channel_type: 'im', user: SALES, channel: 'DDONE', text: '--product krew', ts, event_ts: ts, files: [meta] }, 'Ev-nothing-1');
    const reply = await h.fake.waitFor('chat.postMessage', (c) => c.args.channel === 'DDONE' && String(c.args.text).includes('Nothing was written'), 20_000);
    await h.slack.idle();

    expect(reply.args.thread_ts).toBe(ts);
    const text = String(reply.args.text);
    expect(text).toContain('already-answered.csv');
    expect(text).toMatch(/3 question rows found \(sheet “[^”]+”: 3\)/);
    expect(text).toContain('no file is posted');
    const blocks = blockText(reply.args.blocks);
    expect(blocks).toContain('3 rows are already answered in the file and kept as they are');
    expect(blocks).toContain('clear the answer cells');
    // Nothing was drafted, so there is no review list to open.
    expect(blocks).not.toContain(ACTIONS.openJob);

    // No file of any kind, no "Filled" summary, and the status line does not claim success.
    expect(h.fake.callsOf('files.getUploadURLExternal')).toHaveLength(0);
    expect(h.fake.uploads).toHaveLength(0);
    const all = said(h, 'DDONE');
    expect(all.some((t) => t.includes('Filled'))).toBe(false);
    expect(all.some((t) => t.includes(':white_check_mark:'))).toBe(false);
    const statusUpdates = h.fake.callsOf('chat.update').filter((c) => c.args.channel === 'DDONE');
    expect(String(statusUpdates[statusUpdates.length - 1]?.args.text)).toContain('Nothing was written');
  });

  it('a file kotae cannot find questions in is explained the Slack way: what it saw and how to fix the file, no command-line flags', async () => {
    const meta = h.fake.host({ id: 'FNOQ', name: 'totals.csv', bytes: Buffer.from('番号,金額\n1,100\n2,200\n', 'utf8'), contentType: 'text/csv' });
    const ts = nextTs();
    await h.event({ type: 'message', subtype: 'file_share', channel_type: 'im', user: SALES, channel: 'DNOQ', text: '--product krew', ts, event_ts: ts, files: [meta] }, 'Ev-noq-1');
    const reply = await h.fake.waitFor('chat.update', (c) => c.args.channel === 'DNOQ' && String(c.args.text).includes('no question rows found'), 20_000);
    await h.slack.idle();
    const text = `${String(reply.args.text)}\n${blockText(reply.args.blocks)}`;
    expect(text).toContain('skipped (no header row naming a question column');
    expect(text).toContain('header row naming the question column (e.g. 質問 / Question)');
    expect(text).not.toMatch(/--[a-z]/);
    expect(h.fake.uploads).toHaveLength(0);
  });

  it('lists the drafted rows that had nowhere to go, with why, and keeps their review list reachable', async () => {
    // A CSV with only a status column: a row kotae cannot vouch for gets no status, and a CSV has no kotae sheet.
    const csv = ['No,確認項目,対応状況', '1,社員食堂の定番メニューは何ですか,', '2,本社ビルの外壁は何色ですか,', ''].join('\n');
    const meta = h.fake.host({ id: 'FSTAT', name: 'status-only.csv', bytes: Buffer.from(csv, 'utf8'), contentType: 'text/csv' });
    const ts = nextTs();
    await h.event({ type: 'message', subtype: 'file_share', channel_type: 'im', user: SALES, channel: 'DSTAT', text: '--product krew', ts, event_ts: ts, files: [meta] }, 'Ev-nothing-2');
    const reply = await h.fake.waitFor('chat.postMessage', (c) => c.args.channel === 'DSTAT' && String(c.args.text).includes('Nothing was written'), 20_000);
    await h.slack.idle();

    expect(String(reply.args.text)).toMatch(/2 question rows found \(sheet “[^”]+”: 2\)/);
    const blocks = blockText(reply.args.blocks);
    // Each row named with its place and the reason it got no cell, in the questionnaire's language.
    expect(blocks).toMatch(/status-only row 2 \[1\]: [^"\\]*確認/);
    expect(blocks).toMatch(/status-only row 3 \[2\]: [^"\\]*確認/);
    expect(blocks).toContain('The drafts of these rows are in the review list below');
    expect(blocks).not.toContain('already answered');
    // The drafts are in the review queue: the list is one click away.
    expect(blocks).toContain(ACTIONS.openJob);
    expect(h.fake.callsOf('files.getUploadURLExternal').filter((c) => String(c.args.filename).startsWith('status-only'))).toHaveLength(0);
    expect(said(h, 'DSTAT').some((t) => t.includes('Filled'))).toBe(false);
  });

  it('posts no file when the drafts of a workbook would fill only the added kotae sheet, as the CLI writes none', async () => {
    // A status-only checklist whose every row needs review: no bare mark goes into the customer's sheet.
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('チェック');
      ws.getRow(1).values = ['No', '確認項目', '対応状況'];
      ws.getRow(2).values = ['1', '社員食堂の定番メニューは何ですか'];
      ws.getRow(3).values = ['2', '本社ビルの外壁は何色ですか'];
      for (const r of [2, 3]) ws.getCell(`C${r}`).dataValidation = { type: 'list', allowBlank: true, formulae: ['"○,×,△"'] };
    });
    const meta = h.fake.host({ id: 'FSHEET', name: 'status-only.xlsx', bytes, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    const ts = nextTs();
    await h.event({ type: 'message', subtype: 'file_share', channel_type: 'im', user: SALES, channel: 'DSHEET', text: '--product krew', ts, event_ts: ts, files: [meta] }, 'Ev-nothing-3');
    const reply = await h.fake.waitFor('chat.postMessage', (c) => c.args.channel === 'DSHEET' && String(c.args.text).includes('Nothing was written'), 20_000);
    await h.slack.idle();
    expect(String(reply.args.text)).toMatch(/2 question rows found \(sheet “チェック”: 2\)/);
    expect(blockText(reply.args.blocks)).toContain('The drafts of these rows are in the review list below');
    expect(blockText(reply.args.blocks)).toContain(ACTIONS.openJob);
    expect(h.fake.callsOf('files.getUploadURLExternal').filter((c) => String(c.args.filename).startsWith('status-only'))).toHaveLength(0);
  });

  it('posts the internal draft file of a status-only checklist with the added kotae sheet, as the CLI does', async () => {
    // The IPA checklist beside a sheet with an answer column, so the run writes into the customer's file (one that writes nothing posts none).
    const ipa = await loadWorkbook(fixture('layout-ipa.xlsx'));
    const qa = ipa.addWorksheet('質問票');
    qa.getRow(1).values = ['No.', '質問', '回答'];
    qa.getRow(2).values = ['1', '通信経路は暗号化されていますか。'];
    const bytes = Buffer.from(await ipa.xlsx.writeBuffer());
    const meta = h.fake.host({ id: 'FIPA', name: 'web-checklist.xlsx', bytes, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    const ts = nextTs();
    await h.event({ type: 'message', subtype: 'file_share', channel_type: 'im', user: SALES, channel: 'DIPA', text: '--product krew', ts, event_ts: ts, files: [meta] }, 'Ev-kotae-sheet-1');
    const complete = await h.fake.waitFor('files.completeUploadExternal', (c) => c.args.channel_id === 'DIPA', 30_000);
    await h.slack.idle();
    expect(complete.args.thread_ts).toBe(ts);
    const named = h.fake.callsOf('files.getUploadURLExternal').filter((c) => c.args.filename === 'web-checklist.kotae.xlsx');
    expect(named).toHaveLength(1);
    expect(h.fake.uploads).toHaveLength(1);
    const upload = h.fake.uploads[0];
    if (!upload) throw new Error('no upload');

    const before = await loadWorkbook(bytes);
    const after = await loadWorkbook(upload.bytes);
    expect(after.worksheets.map((w) => w.name)).toEqual([...before.worksheets.map((w) => w.name), 'kotae']);
    const sheet = after.getWorksheet('kotae');
    const header = (sheet?.getRow(1).values as unknown[] | undefined)?.slice(1).map((v) => valueText(v as never));
    // A Japanese checklist: the added sheet speaks Japanese too.
    expect(header).toEqual(['シート', '行', '項番', '質問', '状況欄に記入', '下書き', '下書きの状況', '根拠', '確度', '要確認']);
    // One line per row of the checklist the customer's sheet had no text cell for, each naming its sheet and row.
    const lines = (sheet?.rowCount ?? 0) - 1;
    expect(lines).toBeGreaterThan(0);
    for (let r = 2; r <= lines + 1; r++) {
      const row = sheet?.getRow(r);
      expect(before.getWorksheet(valueText(row?.getCell(1).value ?? null))).toBeDefined();
      expect(Number(valueText(row?.getCell(2).value ?? null))).toBeGreaterThan(0);
      expect(valueText(row?.getCell(4).value ?? null)).not.toBe('');
    }

    const summary = await h.fake.waitFor('chat.postMessage', (c) => c.args.channel === 'DIPA' && blockText(c.args.blocks).includes(ACTIONS.openJob));
    expect(blockText(summary.args.blocks)).toContain('added \\"kotae\\" sheet');
  });
});
