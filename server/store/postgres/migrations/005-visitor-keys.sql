-- A returning visitor's earlier conversations: found by the widget's key for their browser,
-- or by the site's user id once verified (server/domain/returning-visitor.ts). Expression
-- indexes over the record, so no write path changes; only ended conversations are sought
-- (the partial predicate is the query's own, so the planner can use them).
CREATE INDEX conversations_visitor_key ON conversations ((record->>'visitorKey'))
  WHERE status = 'ended';

CREATE INDEX conversations_user_id ON conversations ((record->'visitor'->>'userId'))
  WHERE status = 'ended';
