/**
 * Child process for jobs.test.ts: one bot replica that submits a bulk questionnaire job with
 * a slow fake drafter, on the database named by KOTAE_DATABASE_URL. It prints `drafted Q`
 * when a row's draft is made, `saved N` once N rows are checkpointed, `delivered` when the
 * job's outcome is handed over and `end STATE` at the end, so the test can kill it mid-job.
 * Usage: node --import tsx jobs-replica.ts DATA_DIR INPUT_CSV DELAY_MS TTL_MS
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import { createQuestionnaireJobs } from '../../src/questionnaire/jobs.js';
import { createQuestionnaires } from '../../src/questionnaire-run.js';
import { openDatabase } from '../../src/store/open.js';
import { fakeAnswerer } from '../support/fake-answerer.js';
import { testConfig } from './helpers.js';

const [dataDir, input, delay, ttl] = process.argv.slice(2);
const url = process.env['KOTAE_DATABASE_URL'];
if (!dataDir || !input || !delay || !ttl || !url) throw new Error('usage: KOTAE_DATABASE_URL=… jobs-replica.ts DATA_DIR INPUT_CSV DELAY_MS TTL_MS');
const print = (line: string): void => void process.stdout.write(`${line}\n`);

const config = testConfig(dataDir, { KOTAE_CONCURRENCY: '1', KOTAE_DATABASE_URL: url });
const db = await openDatabase(config);
const answer = fakeAnswerer({ abstainEvery: 0, delayMs: Number(delay), onAnswer: (q) => print(`drafted ${q}`) });
const core = createQuestionnaires({ config, db, reviews: null, bind: () => ({ answer }) });
const jobs = createQuestionnaireJobs({
  db,
  owner: 'replica-a',
  ttlMs: Number(ttl),
  delivery: z.object({ thread: z.string() }),
  run: (file, options) => core.answerQuestionnaire(file, options),
  deliver: async () => print('delivered'),
});
const { end } = await jobs.submit(
  { name: basename(input), bytes: readFileSync(input) },
  { product: 'krew', askedBy: 'U_A', channel: 'C_BULK' },
  { thread: 'T_1' },
  { onProgress: (p) => print(`saved ${p.done}`) },
);
print(`end ${end}`);
await db.close();
