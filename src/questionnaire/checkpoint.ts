/**
 * Resumable questionnaire jobs: every answered row is committed to the workflow SQLite
 * database (WAL, synchronous=FULL) as soon as it is answered. A job is identified by the
 * input file's SHA-256, the product and the options that change what is asked or written,
 * so re-running the same command after a crash or `kill -9` continues where it stopped,
 * while another file, product or column choice starts a new job.
 */
import { createHash } from 'node:crypto';
import { ensureSchema, type WorkflowDb } from '../store/workflow.js';
import { RowResult, type JobStore } from './job.js';

const DDL = `
CREATE TABLE IF NOT EXISTS questionnaire_jobs (
  job_id        TEXT PRIMARY KEY,
  input_sha256  TEXT NOT NULL,
  product       TEXT NOT NULL,
  options_json  TEXT NOT NULL,
  file_name     TEXT NOT NULL,
  total         INTEGER NOT NULL,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  finished_at   TEXT
);
CREATE TABLE IF NOT EXISTS questionnaire_job_rows (
  job_id      TEXT NOT NULL REFERENCES questionnaire_jobs(job_id) ON DELETE CASCADE,
  row_key     TEXT NOT NULL,
  question    TEXT NOT NULL,
  result_json TEXT NOT NULL,
  done_at     TEXT NOT NULL,
  PRIMARY KEY (job_id, row_key)
);
`;

export type JobOptionValue = string | number | boolean | null;

export interface JobIdentity {
  inputSha256: string;
  product: string;
  /** Options that change the questions asked or the cells written (sheet, columns, overwrite). */
  options: Record<string, JobOptionValue>;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Stable id: the same identity always gives the same id, whatever the key order of `options`. */
export function jobIdFor(identity: JobIdentity): string {
  const options = Object.fromEntries(
    Object.entries(identity.options)
      .filter(([, v]) => v !== null && v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  return sha256(Buffer.from(JSON.stringify([identity.inputSha256, identity.product, options]), 'utf8')).slice(0, 32);
}

export class QuestionnaireCheckpoint implements JobStore {
  private constructor(
    private readonly db: WorkflowDb,
    readonly jobId: string,
  ) {}

  /** Opens the job's checkpoint, creating it; `fresh` discards progress saved by earlier runs. */
  static open(db: WorkflowDb, identity: JobIdentity, meta: { fileName: string; total: number }, fresh = false): QuestionnaireCheckpoint {
    ensureSchema(db, DDL);
    const jobId = jobIdFor(identity);
    const now = new Date().toISOString();
    db.transaction(() => {
      if (fresh) db.prepare('DELETE FROM questionnaire_jobs WHERE job_id = ?').run(jobId);
      db.prepare(
        `INSERT INTO questionnaire_jobs (job_id, input_sha256, product, options_json, file_name, total, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(job_id) DO UPDATE SET updated_at = excluded.updated_at, file_name = excluded.file_name, total = excluded.total`,
      ).run(jobId, identity.inputSha256, identity.product, JSON.stringify(identity.options), meta.fileName, meta.total, now, now);
    })();
    return new QuestionnaireCheckpoint(db, jobId);
  }

  completed(): Map<string, { question: string; result: RowResult }> {
    const rows = this.db
      .prepare('SELECT row_key, question, result_json FROM questionnaire_job_rows WHERE job_id = ?')
      .all(this.jobId) as Array<{ row_key: string; question: string; result_json: string }>;
    const out = new Map<string, { question: string; result: RowResult }>();
    for (const r of rows) {
      // A row saved by an older kotae whose Draft shape changed is answered again, not trusted.
      let json: unknown;
      try {
        json = JSON.parse(r.result_json);
      } catch {
        continue;
      }
      const parsed = RowResult.safeParse(json);
      if (parsed.success) out.set(r.row_key, { question: r.question, result: parsed.data });
    }
    return out;
  }

  save(key: string, question: string, result: RowResult): void {
    const now = new Date().toISOString();
    this.db
      .prepare(
        `INSERT INTO questionnaire_job_rows (job_id, row_key, question, result_json, done_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(job_id, row_key) DO UPDATE SET question = excluded.question, result_json = excluded.result_json, done_at = excluded.done_at`,
      )
      .run(this.jobId, key, question, JSON.stringify(result), now);
  }

  /** Marks the job finished; its rows stay, so re-running the command re-writes the file without asking again. */
  finish(): void {
    const now = new Date().toISOString();
    this.db.prepare('UPDATE questionnaire_jobs SET finished_at = ?, updated_at = ? WHERE job_id = ?').run(now, now, this.jobId);
  }
}
