-- A document (the ceremony, the credential list, the tally, a trustee's partial decryption …)
-- is written once: updates and deletes are refused, as for the log.
CREATE FUNCTION convene_written_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'documents are written once';
END;
$$;
CREATE TRIGGER documents_written_once BEFORE UPDATE OR DELETE ON documents
    FOR EACH ROW EXECUTE FUNCTION convene_written_once();
