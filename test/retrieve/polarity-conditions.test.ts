/**
 * A passage that describes what is done, with a negative only inside a condition ("if the portal
 * cannot be reached, …", 「メールが届かない場合は…」), or a question part that asks how/what rather
 * than whether, must not read as "the opposite of what is asked": the customer would be told no
 * about something the vendor does (new-user trial s14). A plain denial still reads as no.
 */
import { describe, expect, it } from 'vitest';
import { predicateContradiction } from '../../src/retrieve/polarity.js';

const NOTICE_JA = '障害を検知した場合は、メールまたはステータスページ(ステータスページを利用できない場合)で契約者に通知します。';
const NOTICE_EN = 'If the status portal cannot be reached, customers are notified by email within one hour.';

describe('a negative inside a condition', () => {
  it('is no denial in a Japanese passage', () => {
    expect(predicateContradiction('ステータスページを利用して障害を通知していますか?', NOTICE_JA)).toBeNull();
  });

  it('is no denial in an English passage', () => {
    expect(predicateContradiction('Are customers notified by email about incidents?', NOTICE_EN)).toBeNull();
  });

  it('is no denial when the condition is written without a comma (「…の際には」「…時は」)', () => {
    // The media are kept, encrypted; what happens to them when they are retired is another occasion.
    const media = '持ち出し用の記録媒体は鍵付きの保管庫で施錠して保管し、返却の際には記録内容の消去を行っています。';
    expect(predicateContradiction('記録媒体は施錠して保管していますか?', media)).toBeNull();
    const logs = 'Access logs are stored for one year, and on account closure they are deleted.';
    expect(predicateContradiction('Are access logs stored?', logs)).toBeNull();
    // A question asking about that occasion is answered by it.
    expect(predicateContradiction('返却後も記録内容を保管していますか?', media)?.status).toBe('no');
    expect(predicateContradiction('Are access logs still stored after account closure?', logs)?.status).toBe('no');
  });

  it('leaves a plain denial a no', () => {
    expect(predicateContradiction('Can operators modify the audit trail?', 'Operators cannot modify the audit trail.')?.status).toBe('no');
    expect(predicateContradiction('運用者は監査証跡を変更できますか?', '運用者は監査証跡を変更できません。')?.status).toBe('no');
  });
});

describe('a how/what ask', () => {
  it('is not read for the opposite of what is asked', () => {
    const denial = 'Operators cannot modify the audit trail.';
    expect(predicateContradiction('How is the audit trail protected from operators?', denial)).toBeNull();
    expect(predicateContradiction('監査証跡はどのように保護されていますか?', '運用者は監査証跡を変更できません。')).toBeNull();
  });

  it('leaves the yes/no asks beside it read', () => {
    const q = 'Can operators modify the audit trail? And who reviews it?';
    expect(predicateContradiction(q, 'Operators cannot modify the audit trail.')?.status).toBe('no');
  });

  it('is not read in Japanese either, whatever its passage says in a condition', () => {
    expect(predicateContradiction('ステータスページの利用者にはどのように障害を通知しますか?', NOTICE_JA)).toBeNull();
  });
});
