/**
 * 「何回も」「何日も」 are "many times", "for days": a casual question that uses them asks whether
 * something happens, not how many times, so a row stating the control without a count answers it.
 * 「何回…か」 without も still asks for the count, which a row stating none does not give.
 * Made-up sheet and wordings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retrieve } from '../../src/judge/retrieval.js';
import { extractiveDraft } from '../../src/draft/extractive.js';
import { askedQuantity, asksByWord } from '../../src/retrieve/quantities.js';
import { sectionStore } from '../support/corpus.js';

const texts: Array<[string, string]> = [
  ['不正なログインを防止すること。', '連続してログインに失敗した場合、アカウントを一時的にロックします。'],
  ['利用者のデータを定期的にバックアップすること。', 'データは毎日バックアップを取得しております。'],
];

let sheet: Awaited<ReturnType<typeof sectionStore>>;
beforeAll(async () => {
  sheet = await sectionStore('orion', 'Orion checksheet', texts);
}, 60_000);
afterAll(() => sheet.close());

describe('a question word followed by も', () => {
  it('asks for no figure; without も it does', () => {
    expect(askedQuantity('パスワードを何回も間違えたら、ロックされますか?')).toBeNull();
    expect(askedQuantity('何日も使っていないアカウントは止まりますか?')).toBeNull();
    expect(askedQuantity('何回間違えたらロックされますか?')).not.toBeNull();
  });

  it('is read alike wherever a question word is tested (the drafter\'s kind of answer too)', () => {
    expect(asksByWord('パスワードを何回も間違えたら、ロックされますか?', '何回')).toBe(false);
    expect(asksByWord('何回も失敗した後、何回目でロックされますか?', '何回')).toBe(true);
    expect(asksByWord('how many times a year?', 'how many')).toBe(true);
  });

  it('is answered yes from the row stating the control without a count', async () => {
    const r = await retrieve(sheet.deps(), 'パスワードを何回も間違えたら、アカウントにロックがかかりますか?', 'orion');
    expect(r.abstained).toBe(false);
    expect(r.hits[0]?.passage.answer).toContain('ロック');
    const d = extractiveDraft(r);
    expect(d.status).toBe('yes');
  });

  it('still leaves the count unanswered when the question asks it', async () => {
    const d = extractiveDraft(await retrieve(sheet.deps(), '何回ログインに失敗するとアカウントがロックされますか?', 'orion'));
    expect(d.status).toBe('unknown');
  });
});
