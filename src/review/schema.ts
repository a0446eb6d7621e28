/**
 * Tables owned by the review queue, in the workflow SQLite database (the system of record).
 * The answer library is an index rebuilt from these tables; nothing here depends on it.
 */
import { z } from 'zod';
import { ensureSchema, type WorkflowDb } from '../store/workflow.js';

export const REVIEW_DDL = `
CREATE TABLE IF NOT EXISTS reviews (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  product         TEXT    NOT NULL,
  question        TEXT    NOT NULL,
  state           TEXT    NOT NULL CHECK (state IN ('drafted','needs_human','approved','edited','rejected','stale','withdrawn')),
  version         INTEGER NOT NULL CHECK (version >= 1),
  answer          TEXT    NOT NULL,
  status          TEXT    NOT NULL CHECK (status IN ('yes','no','partial','not_applicable','unknown')),
  draft_json      TEXT    NOT NULL,
  abstained       INTEGER NOT NULL CHECK (abstained IN (0,1)),
  asked_by        TEXT,
  channel         TEXT,
  job_id          TEXT,
  row_key         TEXT,
  -- Where a bulk row sits in the customer's file (\`質問票!C38\`) and the sheet's own item
  -- number, so reviewers see the row as the customer names it.
  location        TEXT,
  item_ref        TEXT,
  corpus_version  INTEGER NOT NULL,
  created_at      TEXT    NOT NULL,
  updated_at      TEXT    NOT NULL,
  updated_by      TEXT    NOT NULL,
  approved_by     TEXT,
  approved_at     TEXT,
  note            TEXT,
  -- approved/edited rows always name their approver: nothing is final without one.
  CHECK (state NOT IN ('approved','edited') OR (approved_by IS NOT NULL AND approved_at IS NOT NULL))
);
CREATE INDEX IF NOT EXISTS reviews_state_idx ON reviews(state, product);
-- A resumed bulk job re-enqueues rows it already queued; this makes that idempotent.
CREATE UNIQUE INDEX IF NOT EXISTS reviews_job_row_idx ON reviews(job_id, row_key)
  WHERE job_id IS NOT NULL AND row_key IS NOT NULL;

-- Which passages each review cites, so that ingest can find the answers a changed row affects.
CREATE TABLE IF NOT EXISTS review_citations (
  review_id   INTEGER NOT NULL REFERENCES reviews(id),
  passage_id  TEXT    NOT NULL,
  PRIMARY KEY (review_id, passage_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS review_citations_passage_idx ON review_citations(passage_id);

CREATE TABLE IF NOT EXISTS review_audit (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  review_id       INTEGER NOT NULL REFERENCES reviews(id),
  action          TEXT    NOT NULL,
  from_state      TEXT,
  to_state        TEXT    NOT NULL,
  from_version    INTEGER,
  to_version      INTEGER NOT NULL,
  actor           TEXT    NOT NULL,
  at              TEXT    NOT NULL,
  before_text     TEXT,
  after_text      TEXT    NOT NULL,
  before_status   TEXT,
  after_status    TEXT    NOT NULL,
  corpus_version  INTEGER NOT NULL,
  note            TEXT
);
CREATE INDEX IF NOT EXISTS review_audit_review_idx ON review_audit(review_id, seq);

-- The audit log is evidence: once written, an event can be neither changed nor removed,
-- whatever code (or person with the sqlite3 shell) holds the connection.
CREATE TRIGGER IF NOT EXISTS review_audit_no_update BEFORE UPDATE ON review_audit
BEGIN SELECT RAISE(ABORT, 'review_audit is append-only'); END;
CREATE TRIGGER IF NOT EXISTS review_audit_no_delete BEFORE DELETE ON review_audit
BEGIN SELECT RAISE(ABORT, 'review_audit is append-only'); END;

-- The key review workbooks are signed with (see workbook.ts): one per database, so a sheet
-- exported from this queue can prove which review and job each row belongs to.
CREATE TABLE IF NOT EXISTS review_sheet_key (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  key  BLOB    NOT NULL
);
`;

const ready = new WeakSet<WorkflowDb>();

/** Creates the review tables on this connection once; cheap to call before every operation. */
export function ensureReviewSchema(db: WorkflowDb): void {
  if (ready.has(db)) return;
  ensureSchema(db, REVIEW_DDL);
  // Databases created before reviews knew their location gain the columns (NULL: unknown).
  const info = z.array(z.object({ name: z.string() }).loose()).parse(db.prepare('PRAGMA table_info(reviews)').all());
  const columns = new Set(info.map((c) => c.name));
  for (const column of ['location', 'item_ref']) {
    if (!columns.has(column)) db.exec(`ALTER TABLE reviews ADD COLUMN ${column} TEXT`);
  }
  ready.add(db);
}
