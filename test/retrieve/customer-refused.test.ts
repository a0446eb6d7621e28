/**
 * A remark that refuses the customer doing something ("load tests by customers are not
 * accepted") answers a question asking only whether the customer may do it: no, even when the
 * vendor says in another sentence that it does that thing itself. The vendor's own tests are
 * part of the answer only to a question that also asks about them (another ask): partial.
 * Made-up rows, read by the remark-denial rule alone.
 */
import { describe, expect, it } from 'vitest';
import type { Passage } from '../../src/domain.js';
import { expandQuery } from '../../src/retrieve/expand.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { compile } from '../../src/retrieve/match.js';
import { remarkAsked, remarkDenies } from '../../src/retrieve/remark-denial.js';

const lexicon = loadLexicon();
const effect = (question: string, answer: string): string | null => {
  const own = expandQuery(question, lexicon).concepts;
  const row = { answer, requirement: '', status: 'partial' } as Pick<Passage, 'answer' | 'requirement' | 'status'> as Passage;
  return remarkDenies(remarkAsked(question, compile(own), own, lexicon), row)?.effect ?? null;
};

const VENDOR_AND_REFUSAL_EN = 'We run a load test on the platform every quarter. Load tests by customers are not accepted.';
const VENDOR_AND_REFUSAL_JA = '当社にて四半期ごとに負荷試験を実施しております。利用者による負荷試験は受け付けておりません。';

describe('a refusal of the customer acting, beside the vendor doing it', () => {
  it('answers no when only the customer acting is asked', () => {
    expect(effect('May we run our own load test against the platform?', VENDOR_AND_REFUSAL_EN)).toBe('no');
    expect(effect('弊社で負荷試験を実施してもよいですか。', VENDOR_AND_REFUSAL_JA)).toBe('no');
  });

  it('answers partial when the vendor doing it is asked too', () => {
    // 貴社 is the vendor as a customer writes it; 当社 or 弊社 in a question is the customer (lexicon/facets.tsv).
    expect(effect('負荷試験を貴社で実施していますか。また、弊社で負荷試験を実施してもよいですか。', VENDOR_AND_REFUSAL_JA)).toBe('partial');
  });
});
