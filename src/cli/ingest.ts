/** `kotae ingest` / `npm run ingest`: parse the corpus into the store, incrementally. */
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { runIngest } from '../app.js';
import type { CliIO } from './io.js';

export async function runIngestCommand(argv: string[], config: Config, io: CliIO): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { rebuild: { type: 'boolean', default: false } } });
  const started = Date.now();
  io.err(`ingesting ${config.corpusDir} into ${config.dataDir}${values.rebuild ? ' (rebuild)' : ''}`);
  const report = await runIngest(config, {
    rebuild: values.rebuild,
    onProgress: (p) => io.err(`  [${p.done}/${p.total}] ${p.file}: ${p.action}`),
  });
  for (const f of report.files) {
    if (f.action === 'failed') io.err(`  ✗ ${f.file}: ${f.error ?? 'failed'}`);
    else if (f.action !== 'unchanged') io.err(`  ✓ ${f.file} (${f.product}): ${f.action}${f.rows ? `, ${f.rows} passages` : ''}`);
  }
  io.err(
    `corpus version ${report.corpusVersion}; ${report.files.filter((f) => f.action === 'unchanged').length} unchanged, ` +
      `${report.failed} failed, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return report.failed > 0 ? 1 : 0;
}
