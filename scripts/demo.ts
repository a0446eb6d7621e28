/**
 * `npm run demo`: ingest the sample corpus and answer a few questions, Japanese and
 * English, about several products: offline, no key, no network.
 */
import { loadConfig } from '../src/config.js';
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

const config = loadConfig();
const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
process.stderr.write(`ingesting ${config.corpusDir} → ${config.dataDir}\n`);
const report = await runIngest(config, { logger });
for (const f of report.files) {
  process.stderr.write(`  ${f.action.padEnd(9)} ${f.file}${f.rows ? ` (${f.rows} passages)` : ''}${f.error ? `: ${f.error}` : ''}\n`);
}
const app = await createApp(config, { logger });
try {
  process.stdout.write(`\nkotae demo: drafter ${app.drafter.name}, corpus version ${report.corpusVersion}\n\n`);
  for (const sample of SAMPLES) {
    const { draft } = await app.ask(sample.question, sample.product);
    process.stdout.write(`${formatDraft(draft)}\n\n`);
  }
} finally {
  app.close();
}
process.exitCode = report.failed > 0 ? 1 : 0;
