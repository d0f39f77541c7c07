-- Convene store, PostgreSQL. Every table is append-only except elections.phase and
-- voter_codes.spent, which only move forward.
CREATE TABLE elections (
    id TEXT PRIMARY KEY,
    manifest BYTEA NOT NULL,
    phase TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE documents (
    election_id TEXT NOT NULL REFERENCES elections(id),
    name TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    PRIMARY KEY (election_id, name)
);

CREATE TABLE voter_codes (
    election_id TEXT NOT NULL REFERENCES elections(id),
    code_hash BYTEA NOT NULL,
    credential BYTEA NOT NULL,
    spent BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (election_id, code_hash)
);

CREATE TABLE log_entries (
    election_id TEXT NOT NULL REFERENCES elections(id),
    idx BIGINT NOT NULL,
    leaf BYTEA NOT NULL,
    credential BYTEA NOT NULL,
    line BYTEA NOT NULL,
    PRIMARY KEY (election_id, idx)
);

CREATE TABLE checkpoints (
    election_id TEXT NOT NULL REFERENCES elections(id),
    size BIGINT NOT NULL,
    bytes BYTEA NOT NULL,
    PRIMARY KEY (election_id, size)
);

-- No way to rewrite the log: updates and deletes of entries and checkpoints are refused.
CREATE FUNCTION convene_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the log is append-only';
END;
$$;
CREATE TRIGGER log_entries_append_only BEFORE UPDATE OR DELETE ON log_entries
    FOR EACH ROW EXECUTE FUNCTION convene_append_only();
CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON checkpoints
    FOR EACH ROW EXECUTE FUNCTION convene_append_only();
