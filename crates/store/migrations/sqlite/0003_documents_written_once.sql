-- A document (the ceremony, the credential list, the tally, a trustee's partial decryption …)
-- is written once: updates and deletes are refused, as for the log.
CREATE TRIGGER documents_no_update BEFORE UPDATE ON documents
BEGIN SELECT RAISE(ABORT, 'documents are written once'); END;
CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents
BEGIN SELECT RAISE(ABORT, 'documents are written once'); END;
