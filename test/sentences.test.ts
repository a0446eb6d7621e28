/**
 * The one sentence split of questions and rows (src/sentences.ts): the same cuts on both sides,
 * and a row's bullets and URLs ending what was said before them.
 */
import { describe, expect, it } from 'vitest';
import { sentences } from '../src/sentences.js';
import { sentencesOf } from '../src/retrieve/negation.js';

describe('sentences', () => {
  it('ends a sentence at question marks, 。, a full stop before a space and a line break, not at an abbreviation or a decimal', () => {
    expect(sentences('Do you support TLS 1.3? We use e.g. HSTS too. 暗号化していますか？ログは残りますか')).toEqual([
      { text: 'Do you support TLS 1.3', end: '?' },
      { text: 'We use e.g. HSTS too', end: '.' },
      { text: '暗号化していますか', end: '？' },
      { text: 'ログは残りますか', end: '' },
    ]);
  });

  it('ends a row sentence at a bullet or a URL too, and drops the URL', () => {
    expect(sentences('詳細は規約をご覧ください https://example.invalid/terms.pdf ■第3条 ●第4条', { rows: true }).map((s) => s.text)).toEqual(['詳細は規約をご覧ください', '第3条', '第4条']);
    expect(sentences('規約 https://example.invalid/terms.pdf を参照').map((s) => s.text)).toEqual(['規約 https://example.invalid/terms.pdf を参照']);
  });

  it('ends a row URL where Japanese text goes on after it without a space, so the sentences after it are read', () => {
    expect(sentencesOf('手順はヘルプ(https://example.invalid/help/#restore.html)をご覧ください。※当社側で保存は行いません。')).toEqual(['手順はヘルプ(', ')をご覧ください', '※当社側で保存は行いません']);
    expect(sentencesOf('詳細:https://example.invalid/a?b=1&c=2。以上')).toEqual(['詳細:', '以上']);
  });

  it('gives the row readings the same cuts, NFKC', () => {
    expect(sentencesOf('バックアップは日次です。復元は有償です。Logs are kept, e.g. for audits. ■対象外')).toEqual(['バックアップは日次です', '復元は有償です', 'Logs are kept, e.g. for audits', '対象外']);
  });
});
