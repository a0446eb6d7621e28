import { describe, expect, it } from 'vitest';
import { extractUrls, inspectModelText, LINK_REMOVED, sanitizeForSlack, sanitizeModelText } from '../../src/draft/sanitize.js';

describe('sanitizeModelText', () => {
  it('removes Slack broadcasts, mentions, channel and group links', () => {
    const out = sanitizeModelText('当社では <!channel> <!here|here> <!everyone> <@U024BE7LH> <@W1|bob> <#C0123|general> <!subteam^S01|@sec> 暗号化しています。');
    expect(out).toBe('当社では 暗号化しています。');
  });

  it('defuses bare @channel / @here / @everyone', () => {
    const r = inspectModelText('Ping @channel and @here, mail a@here.com');
    expect(r.text).toBe('Ping ＠channel and ＠here, mail a@here.com');
    expect(r.removed.map((x) => x.kind)).toEqual(['mention', 'mention']);
  });

  it('keeps only links found in the cited evidence', () => {
    const allowed = ['https://krew.example.com/security'];
    const text =
      'See https://krew.example.com/security. Also https://evil.example.net/x, <https://evil.example.net|portal>, ' +
      '<https://krew.example.com/security|policy>, [docs](https://evil.example.net/d), www.evil.example.org and evil.io/path.';
    const r = inspectModelText(text, allowed);
    expect(r.text).toBe(
      `See https://krew.example.com/security. Also ${LINK_REMOVED}, portal, policy (https://krew.example.com/security), docs, ${LINK_REMOVED} and ${LINK_REMOVED}.`,
    );
    expect(r.removed.filter((x) => x.kind === 'link')).toHaveLength(5);
  });

  it('leaves ordinary text, including Japanese punctuation and version numbers, alone', () => {
    const t = '当社では、ISO/IEC 27001:2013 の認証を取得しています（v2.1）。Node.js 20 を使用。';
    expect(sanitizeModelText(t)).toBe(t);
  });

  it('strips invisible and bidi control characters', () => {
    expect(sanitizeModelText('a\u200bb\u202ec\u0007d')).toBe('abcd');
  });
});

describe('sanitizeForSlack', () => {
  it('escapes control characters so no mention, broadcast or link can form', () => {
    expect(sanitizeForSlack('<!channel> <@U1> <#C1|x> <https://e.x|y> & @here')).toBe(
      '&lt;!channel&gt; &lt;@U1&gt; &lt;#C1|x&gt; &lt;https://e.x|y&gt; &amp; ＠here',
    );
  });
});

describe('extractUrls', () => {
  it('finds URLs and bare domains, trimming trailing punctuation', () => {
    expect(extractUrls('詳細は https://krew.example.com/security を参照。また krew.jp/help。')).toEqual([
      'https://krew.example.com/security',
      'krew.jp/help',
    ]);
  });
});
