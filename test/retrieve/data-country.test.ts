/**
 * "Is our data kept in Japan?": a Japanese sheet names where the service runs as a cloud region or
 * a part of the country (東京リージョン, 西日本のデータセンター), not as 日本, so the country's
 * concept takes those names and the row naming the region mentions what is asked. A sheet that
 * names no place in the country at all does not say where data is kept, whatever row shares
 * "customer data" and "stored": the country is named like a standard, and the question is
 * declined naming it. Made-up sheets and wordings.
 *
 * Not claimed: that the region row always ranks first. Among rows that say "お客様データ … 保存"
 * in so many words, the learned ranker weighs their two ideas above the one place named (a
 * place missed is one feature of many); on the published sheets the region row ranks first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retrieve } from '../../src/judge/retrieval.js';
import { mentions } from '../../src/retrieve/match.js';
import { gather } from '../../src/retrieve/retrieve.js';
import { sectionStore } from '../support/corpus.js';

const backup: [string, string] = ['利用者のデータを定期的にバックアップすること。', 'お客様のデータは毎日バックアップを取得し、30日間保管しております。'];
const separated: [string, string] = ['利用者のデータを識別して管理すること。', 'お客様データは他のお客様のデータと論理的に分離して保存しております。'];
// As on a real sheet, customer data is stored, kept and handled in many rows: only the place is rare.
const others: Array<[string, string]> = [
  backup,
  separated,
  ['契約終了時に利用者のデータを消去すること。', '契約終了後60日以内に、保存されたお客様データを消去します。'],
  ['保存データを暗号化すること。', 'お客様のデータは保存時に暗号化しております。'],
  ['利用者のデータへのアクセスを制限すること。', 'お客様データにアクセスできる従業員を限定しております。'],
];
const located: Array<[string, string]> = [['データセンターの所在する地域を明示すること。', '本サービスはパブリッククラウドの大阪リージョンで運用しております。'], ...others];
const unlocated: Array<[string, string]> = others;

let withPlace: Awaited<ReturnType<typeof sectionStore>>;
let withoutPlace: Awaited<ReturnType<typeof sectionStore>>;
beforeAll(async () => {
  withPlace = await sectionStore('lyra', 'Lyra checksheet', located);
  withoutPlace = await sectionStore('lyra', 'Lyra checksheet', unlocated);
}, 60_000);
afterAll(async () => {
  await withPlace.close();
  await withoutPlace.close();
});

describe('whether customer data is kept in Japan', () => {
  it('is mentioned by the row naming the region the service runs in, and by no other', async () => {
    for (const q of ['Is customer data stored in Japan?', 'Will our records be hosted in Japan?']) {
      const g = await gather(withPlace.deps(), q, 'lyra');
      const japan = g.view.concepts.find((c) => c.topic);
      expect(japan, q).toBeDefined();
      if (!japan) continue;
      const naming = g.candidates.filter((c) => mentions(japan, c.key)).map((c) => c.passage.answer);
      expect(naming, q).toEqual([expect.stringContaining('大阪リージョン')]);
    }
  });

  it('is answered, not declined, by a sheet naming the region', async () => {
    const r = await retrieve(withPlace.deps(), 'Will our records be hosted in Japan?', 'lyra');
    expect(r.abstained).toBe(false);
    expect(r.hits.map((h) => h.passage.answer)).toContainEqual(expect.stringContaining('大阪リージョン'));
  });

  it('is declined, naming Japan, by a sheet that names no place in it', async () => {
    const r = await retrieve(withoutPlace.deps(), 'Is customer data stored in Japan?', 'lyra');
    expect(r.abstained).toBe(true);
    expect(r.reason).toContain('Japan');
  });
});
