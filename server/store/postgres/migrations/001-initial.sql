-- The first schema: what LocalStore keeps in helpers.json, desk.json, the journal and the
-- archive, as tables. Whole records stay JSON (jsonb); what is looked up or ordered by has
-- its own column and index.

CREATE TABLE helpers (
  id text PRIMARY KEY,
  -- The name as compared: "Alex" and "alex" are one helper.
  name_key text NOT NULL UNIQUE,
  added bigserial NOT NULL,
  account jsonb NOT NULL
);

CREATE TABLE helper_prefs (
  helper_id text PRIMARY KEY,
  prefs jsonb NOT NULL
);

CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  helper_id text NOT NULL,
  session jsonb NOT NULL
);
CREATE INDEX sessions_by_helper ON sessions (helper_id);

CREATE TABLE conversations (
  -- Byte order ("C"), as JavaScript compares strings: pages of ended conversations break ties
  -- by id the same way in every store.
  id text COLLATE "C" PRIMARY KEY,
  -- Compare-and-set: a change is stored only over the version it was made from.
  version integer NOT NULL,
  status text NOT NULL,
  helper_id text,
  visitor_token_hash text NOT NULL,
  join_code text NOT NULL,
  created_at timestamptz NOT NULL,
  ended_at timestamptz,
  -- Creation order, for the open list.
  created bigserial NOT NULL,
  -- The last message's number: appending takes this row's lock, so numbers have no gaps.
  last_seq integer NOT NULL DEFAULT 0,
  record jsonb NOT NULL
);
CREATE INDEX conversations_open ON conversations (created) WHERE status <> 'ended';
CREATE INDEX conversations_open_join_code ON conversations (join_code) WHERE status <> 'ended';
CREATE INDEX conversations_by_visitor_token ON conversations (visitor_token_hash);
CREATE INDEX conversations_ended_by_helper
  ON conversations (helper_id, ended_at DESC, created_at DESC, id DESC)
  WHERE status = 'ended';

CREATE TABLE messages (
  conversation_id text NOT NULL REFERENCES conversations (id),
  seq integer NOT NULL,
  -- The client's id: a resend of the same message is refused here, whatever process takes it.
  id text NOT NULL,
  message jsonb NOT NULL,
  PRIMARY KEY (conversation_id, seq),
  UNIQUE (conversation_id, id)
);

CREATE TABLE read_marks (
  conversation_id text NOT NULL REFERENCES conversations (id),
  side text NOT NULL,
  up_to text NOT NULL,
  PRIMARY KEY (conversation_id, side)
);
