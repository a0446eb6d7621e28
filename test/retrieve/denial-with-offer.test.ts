/**
 * A row refusing exactly the case asked ("restore what we deleted by mistake?" against 「お客様の
 * 誤操作による復旧には提供しておりません」) says no; the same row going on to offer it for a fee or on
 * request (「なお、有償で復旧作業を承る場合があります」) says partial: three blind-trial writers apart
 * read such a row partial, where kotae said no. Asked for it free of charge, the paid offer is
 * what the question rules out: never partly yes. Made-up sheets and wordings, this test's own.
 */
import { describe, expect, it } from 'vitest';
import { sectionSheets } from '../support/sheets.js';

const RULE = 'バックアップを定期的に取得すること。';
const sheets = {
  hazel: [
    [RULE, 'データは毎日バックアップを取得し、取得したバックアップから正常に復元できることを毎日試験しております。バックアップはサーバー障害や災害に備えるためのもので、お客様の誤操作によるデータ消失の復旧には提供しておりません。なお、有償で復旧作業を承る場合があります。'],
    ['アクセスログを取得すること。', 'アクセスログを取得し、1年間保管しております。'],
  ],
  rowan: [
    [RULE, 'データは毎日バックアップを取得し、取得したバックアップから正常に復元できることを毎日試験しております。バックアップはサーバー障害や災害に備えるためのもので、お客様の誤操作によるデータ消失の復旧には提供しておりません。'],
    ['アクセスログを取得すること。', 'アクセスログを取得し、1年間保管しております。'],
  ],
} as const;

const { answer } = sectionSheets(sheets);

describe('a refusal of the case asked, and an offer beside it', () => {
  it('answers partial where the row offers it for a fee, no where it does not', async () => {
    const asked = 'お客様が誤操作で削除したデータを、バックアップから復旧してもらえますか？';
    expect((await answer('hazel', asked)).status).toBe('partial');
    expect((await answer('rowan', asked)).status).toBe('no');
    expect((await answer('hazel', 'If a user deletes records by mistake, can you restore them from your backups?')).status).toBe('partial');
  });

  it('never reads the paid offer as partly yes when the question asks for it free of charge', async () => {
    expect(['no', 'unknown']).toContain((await answer('hazel', '誤って削除したデータを無償で復元してもらえますか？')).status);
  });
});
