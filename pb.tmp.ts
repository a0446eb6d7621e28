import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { expandQuery } from './src/retrieve/expand.js';
import { loadLexicon } from './src/retrieve/lexicon.js';
import { readFileSync } from 'node:fs';
const dir = mkdtempSync(join(tmpdir(), 'pb3-'));
const db = await lancedb.connect(dir);
const sents = readFileSync('corpus/cybozu.txt', 'utf8').split(/[。\n]/).map((s) => s.replace(/<[^>]+>/g, '').split('\t').pop()!.trim()).filter((s) => s.length > 8);
let st = 7; const rnd = (k: number) => { st = (st * 1103515245 + 12345) % 2 ** 31; return st % k; };
const N = 100000;
const rows = Array.from({ length: N }, (_, i) => { const t = [0,1,2,3,4].map(() => sents[rnd(sents.length)]).join('。'); return { id: `r${i}`, product: 'syn', text: t, text3: t }; });
const t = await db.createTable('p', rows);
await t.createIndex('text', { config: lancedb.Index.fts({ baseTokenizer: 'ngram', ngramMinLength: 2, ngramMaxLength: 3, removeStopWords: false, stem: false, lowercase: true, asciiFolding: true, maxTokenLength: 10000, withPosition: true }) });
await t.createIndex('text3', { config: lancedb.Index.fts({ baseTokenizer: 'ngram', ngramMinLength: 3, ngramMaxLength: 3, removeStopWords: false, stem: false, lowercase: true, asciiFolding: true, maxTokenLength: 10000, withPosition: false }) });
const lex = loadLexicon();
const QUESTIONS = ['Is data encrypted in transit and at rest?','How often are backups taken and how long are they kept?','Do you perform vulnerability scanning of your servers?','Is multi-factor authentication available for administrators?','アクセス権限の見直しは定期的に行っていますか?','データセンターの物理的なセキュリティ対策を教えてください。','障害発生時の連絡体制はどのようになっていますか?','ログはどのくらいの期間保存されますか?'];
for (const [col, minLen, withPos] of [['text', 2, true], ['text3', 3, false]] as const) {
  const times: number[] = [];
  for (let rep = 0; rep < 3; rep++) for (const q of QUESTIONS) {
    const { concepts } = expandQuery(q, lex);
    const spec = concepts.filter((c) => c.weight >= 0.5).sort((a, b) => b.weight - a.weight);
    const picked: string[] = [];
    for (let d = 0; picked.length < 10 && d < 6; d++) for (const c of spec) { const v = c.variants[d]; if (v && [...v].length >= minLen && !picked.includes(v) && picked.length < 10) picked.push(v); }
    if (!picked.length) continue;
    const t0 = performance.now(); await t.query().fullTextSearch(new lancedb.MatchQuery(picked.join(' '), col)).where("product = 'syn'").limit(40).toArray(); times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(col, withPos, 'p50', times[Math.floor(times.length/2)]!.toFixed(1), 'p95', times[Math.floor(times.length*0.95)]!.toFixed(1));
}
