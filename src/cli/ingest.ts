/** `kotae ingest` / `npm run ingest`: parse the corpus into the store, incrementally. */
import { Command, CommanderError } from 'commander';
import type { Config } from '../config.js';
import type { CliIO } from './io.js';

export async function runIngestCommand(argv: string[], config: Config, io: CliIO): Promise<number> {
  let code = 0;
  const program = new Command('kotae ingest')
    .description('parse the documents of corpus/manifest.json into the store; unchanged files are skipped')
    .option('--rebuild', 'rebuild the store from scratch (after switching embedders)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) })
    .showHelpAfterError('(kotae ingest --help shows the usage)')
    .action(async (values: { rebuild?: boolean }) => {
      const rebuild = values.rebuild === true;
      const [{ runIngest }, { createLogger }] = await Promise.all([import('../app.js'), import('../log.js')]);
      const started = Date.now();
      io.err(`ingesting ${config.corpusDir} into ${config.dataDir}${rebuild ? ' (rebuild)' : ''}`);
      const report = await runIngest(config, {
        rebuild,
        // What ingest logs (approved answers made stale, a model's retries) is said among the
        // progress lines in words (`warning: …`), not as JSON objects: a person reads this stderr.
        logger: createLogger(config.logLevel, (line) => io.err(line.replace(/\n$/, '')), 'human'),
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
      code = report.failed > 0 ? 1 : 0;
    });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    // Help was printed (0) or the usage was wrong (2, the message already printed).
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  return code;
}
