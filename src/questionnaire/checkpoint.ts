/**
 * Resumable questionnaire jobs: every drafted row is committed to the workflow database
 * (the persistence port; tables from store/migrations.ts) as soon as it is drafted. A checkpoint belongs to a
 * job (the review queue's job id: the input file's content and the product) and is
 * further keyed on the options that change what is asked or written and on the version
 * of the evidence the drafts were built from. So re-running the same command after a
 * crash or `kill -9` continues where it stopped; another column choice starts its own
 * checkpoint; and after a re-ingest changed the documents, the rows are drafted again
 * (the checkpoint of the older corpus is dropped).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Database } from '../store/database.js';
import { RowResult, type JobStore } from './job.js';

export type JobOptionValue = string | number | boolean | null;

export interface JobIdentity {
  /** The review queue's job id (`questionnaireJobId`). */
  jobId: string;
  inputSha256: string;
  product: string;
  /** Options that change the questions asked or the cells written (sheet, columns, overwrite). */
  options: Record<string, JobOptionValue>;
  /** The evidence the drafts are built from; a checkpoint saved under another version is not reused. */
  corpusVersion?: string | number | null;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The job id shared by the review queue (`review list --job`), Slack's job buttons, the
 * CLI's output and the checkpoint: one job per (file content, product), so re-uploading
 * the same file continues the same job.
 */
export function questionnaireJobId(bytes: Uint8Array, product: string): string {
  return `bulk-${sha256(bytes).slice(0, 24)}-${product}`;
}

function sortedOptions(options: Record<string, JobOptionValue>): Record<string, JobOptionValue> {
  return Object.fromEntries(
    Object.entries(options)
      .filter(([, v]) => v !== null && v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

/**
 * The checkpoint's id: the job id plus a hash of the options and the corpus version.
 * The same identity always gives the same id, whatever the key order of `options`.
 */
export function checkpointIdFor(identity: JobIdentity): string {
  const hash = sha256(Buffer.from(JSON.stringify([identity.inputSha256, sortedOptions(identity.options), identity.corpusVersion ?? null]), 'utf8'));
  return `${identity.jobId}#${hash.slice(0, 16)}`;
}

/** How the run before this one of the same checkpoint ended. */
export type PreviousRun = 'none' | 'interrupted' | 'finished';

export class QuestionnaireCheckpoint implements JobStore {
  private constructor(
    private readonly db: Database,
    /** The checkpoint's id (`checkpointIdFor`), not the job id. */
    readonly id: string,
    readonly previousRun: PreviousRun,
  ) {}

  /**
   * Opens the job's checkpoint, creating it; `fresh` discards progress saved by earlier
   * runs. Checkpoints of the same file, product and options saved under another corpus
   * version are deleted: their drafts are out of date.
   */
  static async open(db: Database, identity: JobIdentity, meta: { fileName: string; total: number }, fresh = false): Promise<QuestionnaireCheckpoint> {
    const id = checkpointIdFor(identity);
    const options = JSON.stringify(sortedOptions(identity.options));
    const now = new Date().toISOString();
    const previousRun = await db.transaction(async (tx): Promise<PreviousRun> => {
      await tx.run('DELETE FROM questionnaire_jobs WHERE input_sha256 = ? AND product = ? AND options_json = ? AND job_id <> ?', [identity.inputSha256, identity.product, options, id]);
      if (fresh) await tx.run('DELETE FROM questionnaire_jobs WHERE job_id = ?', [id]);
      const raw = await tx.get('SELECT finished_at FROM questionnaire_jobs WHERE job_id = ?', [id]);
      const before = raw === undefined ? undefined : z.object({ finished_at: z.string().nullable() }).parse(raw);
      const hasRows = (await tx.get('SELECT 1 AS one FROM questionnaire_job_rows WHERE job_id = ? LIMIT 1', [id])) !== undefined;
      // finished_at is cleared while this run goes on: if it is killed, the next run says "interrupted".
      await tx.run(
        `INSERT INTO questionnaire_jobs (job_id, input_sha256, product, options_json, file_name, total, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (job_id) DO UPDATE SET updated_at = excluded.updated_at, file_name = excluded.file_name, total = excluded.total, finished_at = NULL`,
        [id, identity.inputSha256, identity.product, options, meta.fileName, meta.total, now, now],
      );
      if (!before || !hasRows) return 'none';
      return before.finished_at === null ? 'interrupted' : 'finished';
    });
    return new QuestionnaireCheckpoint(db, id, previousRun);
  }

  async completed(): Promise<Map<string, { question: string; result: RowResult }>> {
    const rows = z
      .array(z.object({ row_key: z.string(), question: z.string(), result_json: z.string() }))
      .parse(await this.db.all('SELECT row_key, question, result_json FROM questionnaire_job_rows WHERE job_id = ?', [this.id]));
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

  async save(key: string, question: string, result: RowResult): Promise<void> {
    const now = new Date().toISOString();
    await this.db.run(
      `INSERT INTO questionnaire_job_rows (job_id, row_key, question, result_json, done_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (job_id, row_key) DO UPDATE SET question = excluded.question, result_json = excluded.result_json, done_at = excluded.done_at`,
      [this.id, key, question, JSON.stringify(result), now],
    );
  }

  /**
   * Marks the run finished. The drafts stay: re-running the command writes the file again
   * without drafting again, while decisions are read from the review queue each time.
   */
  async finish(): Promise<void> {
    const now = new Date().toISOString();
    await this.db.run('UPDATE questionnaire_jobs SET finished_at = ?, updated_at = ? WHERE job_id = ?', [now, now, this.id]);
  }
}
