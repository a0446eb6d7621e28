/** `npm run ingest [-- --rebuild]`: the ingestion script, same code as `kotae ingest`. */
import { loadConfig, loadDotEnv } from '../src/config.js';
import { KotaeError } from '../src/errors.js';
import { runIngestCommand } from '../src/cli/ingest.js';
import { processIO } from '../src/cli/io.js';

try {
  loadDotEnv();
  process.exitCode = await runIngestCommand(process.argv.slice(2), loadConfig(), processIO);
} catch (error) {
  if (!(error instanceof KotaeError)) throw error;
  processIO.err(`error: ${error.message}${error.hint ? `\n  ${error.hint}` : ''}`);
  process.exitCode = 2;
}
