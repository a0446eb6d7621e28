/**
 * Why this file: customers ask in everyday words that the glossary must read as the ideas
 * checksheets state: 区分 (categories) is classification, 誓約 (a pledge) is the signed
 * acknowledgement, 他社 (other companies using the service) are the other tenants, and 棚卸
 * (stocktaking) is an inventory of assets as much as a review of access rights.
 * Invented questions, none from the evaluation sets.
 */
import { describe, expect, it } from 'vitest';
import { expandQuery } from '../../src/retrieve/expand.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';

const variantsOf = (question: string, source: string): string[] =>
  expandQuery(question, loadLexicon()).concepts.find((c) => c.source === source)?.variants ?? [];

describe('everyday words read as checksheet ideas', () => {
  it('区分 is classification', () => {
    expect(variantsOf('書類は機密度の区分ごとに保管場所を分けていますか?', '区分')).toContain('分類');
  });
  it('誓約 is the signed acknowledgement', () => {
    expect(variantsOf('委託先から秘密保持の誓約をもらっていますか?', '誓約')).toContain('署名');
  });
  it('他社 are the other tenants', () => {
    expect(variantsOf('他社のログに私たちの操作が混ざることはありませんか?', '他社')).toContain('他の利用者');
  });
  it('棚卸 is an asset inventory as well as an access review', () => {
    const variants = variantsOf('サーバーの棚卸はいつ行いますか?', '棚卸');
    expect(variants).toContain('資産台帳');
    expect(variants).toContain('権限棚卸');
  });
});

describe('everyday English words read as checksheet ideas, not as their dictionary neighbours', () => {
  it('"informed" is being told (通知), not information (情報)', () => {
    const variants = variantsOf('Will our admins be informed before a planned outage?', 'informed');
    expect(variants).toContain('通知');
    expect(variants).not.toContain('情報');
  });
  it('"occurs" is 発生, "collected" is 収集, "channel" is a means (経路), never a strait (海峡)', () => {
    expect(variantsOf('What happens if a breach occurs?', 'occurs')).toContain('発生');
    expect(variantsOf('Is audit data collected from every server?', 'collected')).toContain('収集');
    const channel = expandQuery('Through which channel do you send security advisories?', loadLexicon()).concepts.flatMap((c) => c.variants);
    expect(channel).toContain('経路');
    expect(channel).not.toContain('海峡');
  });
});

