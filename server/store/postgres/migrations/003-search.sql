-- History search: each ended conversation's search terms as a tsvector, behind a GIN index
-- that answers prefix queries ('refund':*). The terms are made by the server
-- (server/domain/search-text.ts, the same words the local store indexes) and stored as they
-- are with array_to_tsvector, so no text search configuration (stemming, stop words,
-- PostgreSQL's own parser) changes what matches; nothing needs an extension.
-- Filled in the transaction that ends a conversation. Conversations that had ended before
-- this migration are filled once by the server right after it (postgres-search.ts), so the
-- terms are made by the same code: the index below finds what is left to do.
ALTER TABLE conversations ADD COLUMN search tsvector;

CREATE INDEX conversations_search ON conversations USING gin (search) WHERE status = 'ended';

CREATE INDEX conversations_unsearchable ON conversations (id)
  WHERE status = 'ended' AND search IS NULL;
