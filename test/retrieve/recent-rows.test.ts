/**
 * In a product too large to rank exhaustively, the match keys of recently searched rows are
 * kept by row id across questions (src/retrieve/retrieve.ts `keysOf`). A re-ingest can keep
 * a row's id and change what it says: the next question must be judged on what the row says
 * now, never on the words it said before.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Passage } from '../../src/domain.js';
import { noEmbedder } from '../../src/embed/embedder.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { gather } from '../../src/retrieve/retrieve.js';
import { textKey } from '../../src/retrieve/match.js';
import { searchText } from '../../src/store/schema.js';
import { PassageStore } from '../../src/store/store.js';
import { sectionRows } from '../support/corpus.js';

// A made-up checksheet: one row about encryption among unrelated ones.
function rows(encryptionAnswer: string): Passage[] {
  const texts: Array<[string, string]> = [
    ['通信の暗号化を行っていること。', encryptionAnswer],
    ['入退室を記録していること。', '入退室は IC カードで記録しております。'],
    ['利用者に教育を行っていること。', '年に一度、全従業員に教育を実施しております。'],
    ['バックアップを取得していること。', '毎日バックアップを取得しております。'],
  ];
  return sectionRows('vega', 'Vega checksheet', texts);
}

let root = '';
let store: PassageStore;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'kotae-recent-'));
  store = await PassageStore.open(join(root, 'data'), noEmbedder, { write: true });
}, 60_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a large product row changed by a re-ingest', () => {
  it('is judged on its new text, not on the match keys kept from the last question', async () => {
    const deps = { store, embedder: noEmbedder, lexicon: loadLexicon(), scanLimit: 0 };
    const question = 'Is communication encrypted?';
    await store.replaceFile('vega', 'vega.txt', 'v1', rows('通信はすべて TLS 1.2 以上で暗号化しております。'), []);
    const before = await gather(deps, question, 'vega');
    expect(before.candidates.find((c) => c.passage.id === 'vega/vega.txt#L1')?.answerKey.compact).toContain('tls');

    const changed = rows('通信の暗号化は、お客様のご判断でご利用いただけるオプションです。');
    await store.replaceFile('vega', 'vega.txt', 'v2', changed, []);
    const after = await gather(deps, question, 'vega');
    const row = after.candidates.find((c) => c.passage.id === 'vega/vega.txt#L1');
    expect(row?.passage.answer).toContain('オプション');
    expect(row?.key).toEqual(textKey(searchText(changed[0] as Passage)));
    expect(row?.answerKey.compact).not.toContain('tls');
  });
});
