/**
 * A question asking for a figure or a frequency ("how often …?", "What is your RPO?", 「頻度は？」)
 * whose row states none but stands for it — done as needed (必要に応じて, "as needed"), or the figure
 * given on request (「開示可能」, "available on request") — is answered partial, flagged, the row
 * cited and its words quoted in the reason: it is what a person sends once the figure is obtained
 * (blind trial s20 declined both kinds). A row silent on the figure still declines, and so does one
 * whose "as needed" is about something else or whose figure is a period, not a frequency.
 * Made-up sheets and wordings, this test's own.
 */
import { describe, expect, it } from 'vitest';
import { askedQuantity, figureHedge } from '../../src/retrieve/quantities.js';
import { sectionSheets } from '../support/sheets.js';

const sheets = {
  // Japanese: external audits as needed, the RPO disclosed on request, logs kept (no period), backups taken.
  marlin: [
    ['外部の専門機関によるセキュリティ監査を受けること。', '必要に応じて外部の監査法人によるセキュリティ監査を受けています。'],
    ['目標復旧時点を定めること。', 'サービスごとに目標復旧時点を定めています。目標復旧時点の値については個別に開示可能です。'],
    ['アクセスログを保管すること。', 'アクセスログを取得し、改ざんできない領域に保管しています。'],
    ['バックアップを取得すること。', 'データベースのバックアップを取得しています。システム構成は必要に応じて見直します。'],
  ],
  // English: the same, in another vendor's words.
  wren: [
    ['Independent penetration tests are performed.', 'Penetration tests by an external security firm are performed as needed.'],
    ['Recovery objectives are defined.', 'Recovery time objectives are defined for each service tier. The RTO is available on request.'],
    ['Access logs are kept.', 'Access logs are collected and stored in write-once storage.'],
    ['Backups are taken.', 'Database backups are taken and encrypted. Firewall rules are reviewed as needed.'],
  ],
} as const;

const { answer } = sectionSheets(sheets);

describe('a figure the row stands for without stating it', () => {
  it('reads "as needed" only for a frequency, and "on request" only in a sentence naming the figure', () => {
    const rpo = askedQuantity('What is your RPO?');
    expect(rpo).not.toBeNull();
    if (!rpo) return;
    const about = (): boolean => true;
    expect(figureHedge(rpo, 'The RPO is available on request.', about)?.onRequest).toBe(true);
    // "Contact us" about anything else, or "as needed" for a period: no stand-in for the RPO.
    expect(figureHedge(rpo, 'Backups are taken daily. For details, please contact us.', about)).toBeNull();
    expect(figureHedge(rpo, 'Restores are performed as needed.', about)).toBeNull();
  });

  it('answers partial, quoting the row, where the row does it as needed or gives the figure on request', async () => {
    for (const [product, question, ref, words] of [
      ['marlin', '外部機関によるセキュリティ監査の実施頻度を教えてください。', '1-1', /必要に応じて/],
      ['marlin', 'How often are you audited by an external auditor?', '1-1', /必要に応じて/],
      ['marlin', '目標復旧時点(RPO)は？', '1-2', /開示可能/],
      ['wren', 'How frequently do you run external penetration tests?', '1-1', /as needed/],
      ['wren', 'What is your recovery time objective (RTO)?', '1-2', /available on request/],
    ] as const) {
      const d = await answer(product, question);
      expect([question, d.status, d.abstained], question).toEqual([question, 'partial', false]);
      expect(d.citations.map((c) => c.ref), question).toContain(ref);
      expect(d.needsHuman, question).toBe(true);
      expect(d.reason, question).toMatch(words);
    }
  });

  it('still declines where the row says nothing of the figure, or hedges something else', async () => {
    for (const [product, question] of [
      ['marlin', 'アクセスログの保存期間は？'],
      ['marlin', 'バックアップの取得頻度を教えてください。'],
      ['wren', 'How long are access logs retained?'],
      ['wren', 'How often are database backups taken?'],
    ] as const) {
      const d = await answer(product, question);
      expect([question, d.status], question).toEqual([question, 'unknown']);
    }
  });
});
