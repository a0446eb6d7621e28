/**
 * The workflow database's schema, as ordered migrations: one list per concern (reviews and
 * audit, bulk checkpoints, draft and rewrite caches, translations, the Slack event log,
 * leases),
 * each step written for SQLite and for PostgreSQL. Kept in the store layer (not beside each
 * repository) so the one ordered list needs no upward import.
 *
 * Adoption: databases made by kotae before migrations existed created these tables with
 * `CREATE TABLE IF NOT EXISTS` and hold users' reviews. So the first migration of each
 * concern keeps `IF NOT EXISTS` (on such a database it only records itself as applied), and
 * the columns added to `reviews` later are added with `ADD COLUMN IF NOT EXISTS` (see
 * sqlite.ts), because a pre-migration database may or may not have them already.
 *
 * A released migration never changes: a schema change is a new entry with the next id.
 */
import type { Migration } from './database.js';

/** A step whose DDL both engines accept as written (plain tables, ADD COLUMN IF NOT EXISTS). */
function portable(id: string, ddl: string): Migration {
  return { id, sqlite: ddl, postgres: ddl };
}

const reviews: Migration[] = [
  {
    id: '0001-reviews',
    sqlite: `
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

-- The key review workbooks are signed with: one per database.
CREATE TABLE IF NOT EXISTS review_sheet_key (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  key  BLOB    NOT NULL
);
`,
    postgres: `
CREATE TABLE IF NOT EXISTS reviews (
  id              BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
  corpus_version  BIGINT  NOT NULL,
  created_at      TEXT    NOT NULL,
  updated_at      TEXT    NOT NULL,
  updated_by      TEXT    NOT NULL,
  approved_by     TEXT,
  approved_at     TEXT,
  note            TEXT,
  CHECK (state NOT IN ('approved','edited') OR (approved_by IS NOT NULL AND approved_at IS NOT NULL))
);
CREATE INDEX IF NOT EXISTS reviews_state_idx ON reviews(state, product);
CREATE UNIQUE INDEX IF NOT EXISTS reviews_job_row_idx ON reviews(job_id, row_key)
  WHERE job_id IS NOT NULL AND row_key IS NOT NULL;

CREATE TABLE IF NOT EXISTS review_citations (
  review_id   BIGINT NOT NULL REFERENCES reviews(id),
  passage_id  TEXT   NOT NULL,
  PRIMARY KEY (review_id, passage_id)
);
CREATE INDEX IF NOT EXISTS review_citations_passage_idx ON review_citations(passage_id);

CREATE TABLE IF NOT EXISTS review_audit (
  seq             BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  review_id       BIGINT  NOT NULL REFERENCES reviews(id),
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
  corpus_version  BIGINT  NOT NULL,
  note            TEXT
);
CREATE INDEX IF NOT EXISTS review_audit_review_idx ON review_audit(review_id, seq);

CREATE OR REPLACE FUNCTION review_audit_append_only() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'review_audit is append-only';
END;
$$;
CREATE TRIGGER review_audit_no_update BEFORE UPDATE ON review_audit
  FOR EACH ROW EXECUTE FUNCTION review_audit_append_only();
CREATE TRIGGER review_audit_no_delete BEFORE DELETE ON review_audit
  FOR EACH ROW EXECUTE FUNCTION review_audit_append_only();
CREATE TRIGGER review_audit_no_truncate BEFORE TRUNCATE ON review_audit
  FOR EACH STATEMENT EXECUTE FUNCTION review_audit_append_only();

CREATE TABLE IF NOT EXISTS review_sheet_key (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  key  BYTEA   NOT NULL
);
`,
  },
  // Where a bulk row sits in the customer's file (`質問票!C38`) and the sheet's own item
  // number. Databases made before reviews knew their location gain the columns (NULL: unknown).
  portable('0002-reviews-location', `
ALTER TABLE reviews ADD COLUMN IF NOT EXISTS location TEXT;
ALTER TABLE reviews ADD COLUMN IF NOT EXISTS item_ref TEXT;
`),
  {
    // A bulk row's generation (its n-th review, drafted anew after a decision or a change)
    // gets its own column; it was a `~N` suffix on row_key, which is split off here. The
    // idempotency index then covers (job, row, generation).
    id: '0008-reviews-row-generation',
    sqlite: `
ALTER TABLE reviews ADD COLUMN IF NOT EXISTS row_generation INTEGER NOT NULL DEFAULT 0 CHECK (row_generation >= 0);
-- The old index is dropped first: the split keys repeat within a job until the generation tells them apart.
DROP INDEX IF EXISTS reviews_job_row_idx;
UPDATE reviews
   SET row_generation = CAST(substr(row_key, instr(row_key, '~') + 1) AS INTEGER),
       row_key = substr(row_key, 1, instr(row_key, '~') - 1)
 WHERE row_key LIKE 'q-%~%';
CREATE UNIQUE INDEX IF NOT EXISTS reviews_job_row_generation_idx ON reviews(job_id, row_key, row_generation)
  WHERE job_id IS NOT NULL AND row_key IS NOT NULL;
`,
    postgres: `
ALTER TABLE reviews ADD COLUMN IF NOT EXISTS row_generation INTEGER NOT NULL DEFAULT 0 CHECK (row_generation >= 0);
-- The old index is dropped first: the split keys repeat within a job until the generation tells them apart.
DROP INDEX IF EXISTS reviews_job_row_idx;
UPDATE reviews
   SET row_generation = CAST(split_part(row_key, '~', 2) AS INTEGER),
       row_key = split_part(row_key, '~', 1)
 WHERE row_key LIKE 'q-%~%';
CREATE UNIQUE INDEX IF NOT EXISTS reviews_job_row_generation_idx ON reviews(job_id, row_key, row_generation)
  WHERE job_id IS NOT NULL AND row_key IS NOT NULL;
`,
  },
];

const checkpoints: Migration[] = [
  portable('0003-questionnaire-jobs', `
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
`),
];

const caches: Migration[] = [
  {
    id: '0004-draft-cache',
    sqlite: `
CREATE TABLE IF NOT EXISTS draft_cache (
  key            TEXT PRIMARY KEY,
  model          TEXT NOT NULL,
  prompt_version TEXT NOT NULL,
  product        TEXT NOT NULL,
  corpus_version INTEGER NOT NULL,
  draft_json     TEXT NOT NULL,
  created_at     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS draft_cache_corpus ON draft_cache (product, corpus_version);
`,
    postgres: `
CREATE TABLE IF NOT EXISTS draft_cache (
  key            TEXT PRIMARY KEY,
  model          TEXT NOT NULL,
  prompt_version TEXT NOT NULL,
  product        TEXT NOT NULL,
  corpus_version BIGINT NOT NULL,
  draft_json     TEXT NOT NULL,
  created_at     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS draft_cache_corpus ON draft_cache (product, corpus_version);
`,
  },
  portable('0005-rewrite-cache', `
CREATE TABLE IF NOT EXISTS rewrite_cache (
  key            TEXT PRIMARY KEY,
  model          TEXT NOT NULL,
  prompt_version TEXT NOT NULL,
  rewrite_json   TEXT NOT NULL,
  created_at     TEXT NOT NULL
);
`),
  portable('0006-passage-translations', `
CREATE TABLE IF NOT EXISTS passage_translations (
  hash       TEXT PRIMARY KEY,
  text       TEXT NOT NULL,
  model      TEXT NOT NULL,
  created_at TEXT NOT NULL
);
`),
];

const slackEvents: Migration[] = [
  {
    id: '0007-slack-events',
    sqlite: `
CREATE TABLE IF NOT EXISTS slack_events (
  event_id   TEXT PRIMARY KEY,
  state      TEXT NOT NULL CHECK (state IN ('started', 'done')),
  started_at INTEGER NOT NULL,
  done_at    INTEGER,
  attempts   INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS slack_events_started ON slack_events (started_at);
`,
    postgres: `
CREATE TABLE IF NOT EXISTS slack_events (
  event_id   TEXT PRIMARY KEY,
  state      TEXT NOT NULL CHECK (state IN ('started', 'done')),
  started_at BIGINT NOT NULL,
  done_at    BIGINT,
  attempts   INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS slack_events_started ON slack_events (started_at);
`,
  },
];

/** Who owns a piece of work across replicas until when (src/store/leases.ts). */
const leases: Migration[] = [
  portable('0009-leases', `
CREATE TABLE leases (kind TEXT NOT NULL, lease_key TEXT NOT NULL, owner TEXT NOT NULL, expires_at TEXT NOT NULL, PRIMARY KEY (kind, lease_key));
CREATE INDEX leases_by_expiry ON leases (kind, expires_at);
`),
];

/**
 * Bulk questionnaire runs that any replica can finish (src/questionnaire/jobs.ts): the file
 * itself and what the run was asked with, so another process can run it again after its
 * owner died. The engines differ only in the type of the stored upload (BLOB / BYTEA).
 */
const questionnaireRunsTable = (bytes: 'BLOB' | 'BYTEA'): string => `
CREATE TABLE IF NOT EXISTS questionnaire_runs (
  run_key       TEXT PRIMARY KEY,
  file_name     TEXT NOT NULL,
  file_bytes    ${bytes} NOT NULL,
  options_json  TEXT NOT NULL,
  delivery_json TEXT NOT NULL,
  state         TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed')),
  attempts      INTEGER NOT NULL DEFAULT 1,
  error         TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);
`;

const questionnaireRuns: Migration[] = [{ id: '0010-questionnaire-runs', sqlite: questionnaireRunsTable('BLOB'), postgres: questionnaireRunsTable('BYTEA') }];

/** Every migration of the workflow database, in the order they apply. */
export const MIGRATIONS: readonly Migration[] = [...reviews, ...checkpoints, ...caches, ...slackEvents, ...leases, ...questionnaireRuns].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
