/**
 * Child process for resume.test.ts: runs `kotae answer` through runAnswer with a slow fake
 * answerer that appends each answered question to a log file when it finishes.
 * Usage: node --import tsx resume-child.ts INPUT OUT DATA_DIR LOG DELAY_MS
 */
import { appendFileSync } from 'node:fs';
import { runAnswer } from '../../src/cli/answer.js';
import { loadConfig } from '../../src/config.js';
import { fakeAnswerer } from '../support/fake-answerer.js';
import { withFakeCore } from './helpers.js';

const [input, out, dataDir, log, delay] = process.argv.slice(2);
if (!input || !out || !dataDir || !log) throw new Error('usage: resume-child.ts INPUT OUT DATA_DIR LOG DELAY_MS');
const config = loadConfig({ KOTAE_DATA_DIR: dataDir, KOTAE_CONCURRENCY: '2', KOTAE_CLI_USER: 'U_TESTER' }, dataDir);
const answer = fakeAnswerer({ delayMs: Number(delay ?? 100), onAnswer: (q) => appendFileSync(log, `${q}\n`) });
const code = await withFakeCore(config, answer, (questionnaires) =>
  runAnswer([input, '--product', 'krew', '--out', out], {
    config,
    questionnaires,
    out: (s) => process.stdout.write(`${s}\n`),
    err: (s) => process.stderr.write(`${s}\n`),
    interactive: false,
  }),
);
process.exitCode = code;
