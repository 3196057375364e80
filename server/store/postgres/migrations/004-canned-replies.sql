-- The desk's canned replies: few, small, shared by every helper. A shortcut is unique
-- whatever its case (shortcut_key is it lower-cased), across processes too.
CREATE TABLE canned_replies (
  id text PRIMARY KEY,
  shortcut_key text NOT NULL UNIQUE,
  reply jsonb NOT NULL
);
