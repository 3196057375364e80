-- Reports: what each ended conversation adds (report_entries, one row per conversation, its
-- latest entry) and the hourly sums of those entries (report_hours, one row per UTC hour
-- anyone asked in). Both are made by the server (server/domain/report-entry.ts and
-- report-bucket.ts, the same code as the local store's) in the transaction that ends or rates
-- a conversation, so a report reads a range's hours, never its conversations. Conversations
-- that had ended before this migration are counted once by the server right after it
-- (postgres-reports.ts).
CREATE TABLE report_hours (
  -- The UTC hour, `2026-03-01T14`: ordered as text, as the local store orders it.
  hour text COLLATE "C" PRIMARY KEY,
  bucket jsonb NOT NULL
);

CREATE TABLE report_entries (
  conversation_id text COLLATE "C" PRIMARY KEY REFERENCES conversations (id),
  hour text COLLATE "C" NOT NULL,
  created_at timestamptz NOT NULL,
  entry jsonb NOT NULL
);
CREATE INDEX report_entries_by_hour ON report_entries (hour, created_at, conversation_id);
