/**
 * `npm run demo`: ingest the sample corpus, answer a few questions, Japanese and English,
 * about several products, and fill the sample customer questionnaire into out/: offline,
 * no key, no network.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadConfig, loadDotEnv } from '../src/config.js';
import { createApp, runIngest } from '../src/app.js';
import { formatDraft } from '../src/cli/format.js';
import { createLogger } from '../src/log.js';

const SAMPLES: { product: string; question: string }[] = [
  { product: 'krew', question: 'Is data encrypted in transit?' },
  { product: 'cybozu', question: 'データのバックアップはどのように取得していますか?' },
  { product: 'monocone', question: 'Is multi-factor authentication required for administrators?' },
  { product: 'sla-checklist', question: '障害が発生した場合、どのように通知されますか?' },
  { product: 'qloba-page', question: 'Do you train employees on information security?' },
  { product: 'cybozu', question: 'Is the service FedRAMP authorized?' },
];

loadDotEnv();
const config = loadConfig();
const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
process.stderr.write(`ingesting ${config.corpusDir} → ${config.dataDir}\n`);
const report = await runIngest(config, { logger });
for (const f of report.files) {
  process.stderr.write(`  ${f.action.padEnd(9)} ${f.file}${f.rows ? ` (${f.rows} passages)` : ''}${f.error ? `: ${f.error}` : ''}\n`);
}
const app = await createApp(config, { logger });
try {
  process.stdout.write(`\nkotae demo: drafter ${app.drafterName}, corpus version ${report.corpusVersion}\n\n`);
  for (const sample of SAMPLES) {
    const { draft } = await app.ask(sample.question, sample.product);
    process.stdout.write(`${formatDraft(draft)}\n\n`);
  }

  const sample = 'test/eval/questionnaire-ja.xlsx';
  const bytes = readFileSync(sample);
  const filled = await app.answerQuestionnaire({ name: 'questionnaire-ja.xlsx', bytes }, { product: 'cybozu', askedBy: 'demo' });
  mkdirSync('out', { recursive: true });
  writeFileSync('out/questionnaire-ja.filled.xlsx', filled.bytes);
  const s = filled.summary;
  process.stdout.write(
    `Filled ${sample} for cybozu → out/questionnaire-ja.filled.xlsx: ${s.questions} questions, ` +
      `${s.answered} answered, ${s.abstained} abstained (要確認), ${s.needsReview} need review. ` +
      'Its rows are in the review queue: npm run -s kotae -- review list\n',
  );
} finally {
  await app.close();
}
process.exitCode = report.failed > 0 ? 1 : 0;
