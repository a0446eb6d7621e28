/**
 * A question of several asks is drafted ask by ask, each yes/no ask's line saying its own row's
 * status. The draft's status agrees with its lines: a line saying one ask is only partly done
 * (or not done) leaves the whole answer no plain yes, even when that ask's row is not the one
 * quoted first. An open ask ("tell us how …") states no status in its line, so its row's caveat
 * does not make the answer partial.
 */
import { describe, expect, it } from 'vitest';
import type { Hit, Retrieval, Status } from '../../src/domain.js';
import { extractiveDraft } from '../../src/draft/extractive.js';

function row(line: number, answer: string, status: Status, score: number): Hit {
  return {
    score,
    passage: {
      id: `tsuki/tsuki.txt#L${line}`,
      product: 'tsuki',
      kind: 'control',
      source: 'tsuki.txt',
      title: 'tsukiセキュリティチェックシート',
      locator: `L${line}`,
      line,
      page: null,
      sectionPath: [],
      ref: `4-${line}`,
      requirement: '',
      answer,
      status,
    },
  };
}

const SSO = row(1, '管理画面ではシングルサインオンを設定できます。', 'yes', 0.6);
const EXPORT = row(2, '監査ログは一部の操作のみ出力しております。', 'partial', 0.2);

function twoAsks(question: string, asks: string[]): Retrieval {
  return {
    question,
    product: 'tsuki',
    lang: 'ja',
    hits: [SSO, EXPORT],
    confidence: 0.9,
    abstained: false,
    needsReview: false,
    reason: 'best passage covers 90%',
    corpusVersion: 1,
    asks: [
      { text: asks[0] ?? '', rows: [SSO.passage.id] },
      { text: asks[1] ?? '', rows: [EXPORT.passage.id] },
    ],
  };
}

describe('the status of a draft answered ask by ask', () => {
  it('is partial when one yes/no ask’s line says its row is only partly done', () => {
    const d = extractiveDraft(twoAsks('シングルサインオンを設定できますか。また、監査ログを出力していますか。', ['シングルサインオンを設定できますか。', '監査ログを出力していますか。']));
    expect(d.draft).toContain('一部');
    expect(d.status).toBe('partial');
  });

  it('stays yes when the ask with the caveated row is an open one whose line states no status', () => {
    const d = extractiveDraft(twoAsks('シングルサインオンを設定できますか。また、監査ログの出力方法を教えてください。', ['シングルサインオンを設定できますか。', '監査ログの出力方法を教えてください。']));
    expect(d.status).toBe('yes');
  });
});
