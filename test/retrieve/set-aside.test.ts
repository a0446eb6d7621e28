/**
 * A question that sets a named thing aside ("apart from Azure's attestations, has the vendor
 * itself …", 「Azureの認証とは別に」) asks about something else: a row whose answer rests on the
 * thing set aside (the provider's reports) is no yes to it, unless the row also names what is
 * asked. Made-up sheet and wordings, this test's own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blanks } from '../../src/retrieve/caution.js';
import { setAsideSpans } from '../../src/retrieve/facets.js';
import { gather } from '../../src/retrieve/retrieve.js';
import { sectionStore } from '../support/corpus.js';

const texts: Array<[string, string]> = [
  ['外部の監査を受けていること。', '弊社サービスはAzure上で稼働しており、MicrosoftのISO/IEC 27001認証報告書をご参照ください。'],
  ['入退室を記録していること。', '入退室は IC カードで記録しております。'],
  ['第三者認証を取得していること。', '弊社はISO/IEC 27001およびISO/IEC 27018の認証を取得しております。Azureの認証も併せてご参照ください。'],
];

let sheet: Awaited<ReturnType<typeof sectionStore>>;
beforeAll(async () => {
  sheet = await sectionStore('lyra', 'Lyra checksheet', texts);
}, 60_000);
afterAll(() => sheet.close());

const deps = () => sheet.deps();
const asideOf = async (question: string, line: number) =>
  (await gather(deps(), question, 'lyra')).candidates.find((c) => c.passage.line === line)?.cautions?.find((c) => c.kind === 'set-aside');

describe('a question setting a named thing aside', () => {
  it('reads what is set aside after an English word and before a Japanese one, to the clause’s edge', () => {
    expect(setAsideSpans('Aside from Azure, do you hold ISO 27018? And more')).toEqual([' azure']);
    expect(setAsideSpans('クラウド基盤について、Azureの認証とは別に、ISO 27018は取得していますか')).toEqual(['azureの認証']);
    expect(setAsideSpans('Do you hold ISO 27018?')).toEqual([]);
  });

  it('gives a row resting on the thing set aside no yes', async () => {
    const caution = await asideOf('Apart from Azure’s attestations, does the vendor itself hold ISO/IEC 27018?', 1);
    expect(caution).toMatchObject({ kind: 'set-aside', effect: 'unknown' });
    expect(caution && blanks(caution, 'yes')).toBe(true);
    expect(await asideOf('Azureの認証とは別に、貴社自身はISO/IEC 27018を取得していますか?', 1)).toBeDefined();
  });

  it('leaves a row that also names what is asked, and a question setting nothing aside, alone', async () => {
    expect(await asideOf('Apart from Azure’s attestations, does the vendor itself hold ISO/IEC 27018?', 3)).toBeUndefined();
    expect(await asideOf('Does the vendor hold ISO/IEC 27018?', 1)).toBeUndefined();
  });
});
