/**
 * A row that hands its answer to another service's or document's (「本項目は<基盤>に準じます」,
 * 「<基盤>のチェックシートをご参照ください」) states no control: its mark is no yes and no partial to
 * the question (blind trials found such rows answered as if they had). The draft cites the row,
 * says it only defers, and asks a person to look the answer up; a row that states the control
 * and points to a document for details still answers; a question asking who does it is answered
 * by the deferral: the other service does (partial). Real ingest of this test's own made-up sheet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { appOver, tempCorpus } from '../support/corpus.js';

const CHECKSHEET = [
  '# tsukiセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 認証</b>\t\t\t',
  '1-1\t無操作の状態が続いたセッションを自動的に切断すること。\t○\ttsukiへのログインはkumoを経由して行われるため、本項目はkumoに準じます。',
  '1-2\t多要素認証の機能を提供すること。\t-\t多要素認証の設定については、kumoのセキュリティチェックシートをご参照ください。',
  '<b>2 バックアップ</b>\t\t\t',
  '2-1\t利用者の設定情報のバックアップを定期的に取得すること。\t○\t設定情報のバックアップを毎日取得し、14世代保管しております。対象データの詳細はオンラインヘルプをご参照ください。',
  '<b>3 暗号化</b>\t\t\t',
  '3-1\t通信経路を暗号化すること。\t○\ttsukiの画面とサーバー間の通信はTLS1.2以上で暗号化しております。',
  '',
].join('\n');

let app: App;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await appOver(tempCorpus('kotae-row-defers-', { file: 'tsuki.txt', product: 'tsuki', vendor: null, title: 'tsukiセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET)));
}, 120_000);

afterAll(() => close());

const ask = async (question: string) => (await app.ask(question, 'tsuki')).draft;
const cited = (d: Awaited<ReturnType<typeof ask>>): string | undefined => d.citations[0]?.ref;

describe('a row deferring to another service’s answer', () => {
  it('is no yes for a ○ row: unknown, flagged, the row cited and the deferral named', async () => {
    for (const question of ['Do idle sessions get disconnected automatically?', '操作のないセッションは自動で切断されますか。']) {
      const d = await ask(question);
      expect([question, cited(d), d.status, d.needsHuman]).toEqual([question, '1-1', 'unknown', true]);
      expect(d.reason).toContain('kumoに準じます');
    }
  });

  it('is no partial for a row marked - that points to the other service’s checksheet', async () => {
    const d = await ask('Is multi-factor authentication available?');
    expect([cited(d), d.status, d.needsHuman]).toEqual(['1-2', 'unknown', true]);
  });

  it('answers where it is written: the pointer is the answer, however the question names the thing between "where" and "documented"', async () => {
    for (const question of ['Where is the automatic disconnection of idle sessions documented?', '無操作セッションの自動切断については、どこに記載されていますか。']) {
      const d = await ask(question);
      expect([question, cited(d), d.reason.includes('kumoに準じます') && d.status === 'unknown']).toEqual([question, '1-1', false]);
    }
  });

  it('answers who does it: the other service, in part', async () => {
    const d = await ask('Who is responsible for disconnecting idle sessions, you or kumo?');
    expect([cited(d), d.status]).toEqual(['1-1', 'partial']);
  });
});

describe('a row stating the control', () => {
  it('is yes though it points to a document for details', async () => {
    const d = await ask('Do you back up customer settings every day?');
    expect([cited(d), d.status]).toEqual(['2-1', 'yes']);
  });

  it('is yes when it never defers', async () => {
    const d = await ask('Is traffic between the browser and your servers encrypted?');
    expect([cited(d), d.status]).toEqual(['3-1', 'yes']);
  });
});

describe('a question of several asks, one of them answered only by a deferring row', () => {
  it('is partial and flagged: one ask is answered, the other only points elsewhere', async () => {
    for (const question of ['Do you back up customer settings daily, and do idle sessions get disconnected automatically?', '設定情報は毎日バックアップしていますか。また、無操作のセッションは自動で切断されますか。']) {
      const d = await ask(question);
      const refs = d.citations.map((c) => c.ref);
      expect([question, refs.includes('2-1'), refs.includes('1-1'), d.status, d.needsHuman]).toEqual([question, true, true, 'partial', true]);
    }
  });
});
