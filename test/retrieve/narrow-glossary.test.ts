/**
 * A glossary line names one concept: a narrow control (keys the customer manages, a certificate
 * of deletion) is not mentioned by a row about the broad one (the vendor's key management, any
 * certificate). Otherwise a row sharing the broad word answers yes to the narrow question.
 * Fixture text is this test's own.
 */
import { describe, expect, it } from 'vitest';
import { expandQuery } from '../../src/retrieve/expand.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { compile, mentions, textKey } from '../../src/retrieve/match.js';

const lexicon = loadLexicon();
/** Whether the row mentions every idea of the question that weighs as a main idea. */
const mainIdeasMentioned = (question: string, row: string): boolean =>
  compile(expandQuery(question, lexicon).concepts)
    .filter((c) => c.weight >= 1)
    .every((c) => mentions(c, textKey(row)));

describe('narrow controls in the glossary', () => {
  it('does not take the vendor’s key management for keys the customer manages', () => {
    expect(mainIdeasMentioned('Do you support customer-managed keys?', '暗号鍵は当社の鍵管理手順に従って管理しています。')).toBe(false);
    expect(mainIdeasMentioned('Do you support customer-managed keys?', 'お客様管理の鍵(BYOK)による暗号化に対応しています。')).toBe(true);
    expect(mainIdeasMentioned('How are encryption keys managed?', '暗号鍵は当社の鍵管理手順に従って管理しています。')).toBe(true);
  });

  it('does not take any certificate for a certificate of deletion', () => {
    expect(mainIdeasMentioned('Can you issue a certificate of deletion?', '接続は証明書を持つ端末に限定できます。')).toBe(false);
    expect(mainIdeasMentioned('Can you issue a certificate of deletion?', 'データ削除の証明書を発行いたします。')).toBe(true);
  });
});
