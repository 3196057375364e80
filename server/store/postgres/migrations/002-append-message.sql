-- Appending a message in one round trip instead of six. The same steps as before, in one
-- function: lock the conversation's row (appends to one conversation take turns), answer a
-- resend with the stored message, else store the next number and count it. Each statement in
-- a PL/pgSQL function reads the database as it is when the statement starts, so after the
-- lock the resend check sees a first send that committed while this one waited.
CREATE FUNCTION append_message(
  p_conversation text,
  p_id text,
  p_message jsonb,
  OUT stored jsonb,
  OUT was_duplicate boolean
)
LANGUAGE plpgsql AS $$
DECLARE
  next_seq integer;
BEGIN
  SELECT c.last_seq + 1 INTO next_seq FROM conversations c WHERE c.id = p_conversation FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no conversation %', p_conversation USING ERRCODE = 'no_data_found';
  END IF;
  SELECT m.message INTO stored FROM messages m
   WHERE m.conversation_id = p_conversation AND m.id = p_id;
  IF FOUND THEN
    was_duplicate := true;
    RETURN;
  END IF;
  stored := jsonb_set(p_message, '{seq}', to_jsonb(next_seq));
  INSERT INTO messages (conversation_id, seq, id, message)
    VALUES (p_conversation, next_seq, p_id, stored);
  UPDATE conversations SET last_seq = next_seq WHERE id = p_conversation;
  was_duplicate := false;
END
$$;
