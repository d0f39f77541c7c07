-- Convene store, SQLite. Every table is append-only except elections.phase and
-- voter_codes.spent, which only move forward.
CREATE TABLE elections (
    id TEXT PRIMARY KEY,
    manifest BLOB NOT NULL,
    phase TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE documents (
    election_id TEXT NOT NULL REFERENCES elections(id),
    name TEXT NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (election_id, name)
);

CREATE TABLE voter_codes (
    election_id TEXT NOT NULL REFERENCES elections(id),
    code_hash BLOB NOT NULL,
    credential BLOB NOT NULL,
    spent INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (election_id, code_hash)
);

CREATE TABLE log_entries (
    election_id TEXT NOT NULL REFERENCES elections(id),
    idx INTEGER NOT NULL,
    leaf BLOB NOT NULL,
    credential BLOB NOT NULL,
    line BLOB NOT NULL,
    PRIMARY KEY (election_id, idx)
);

CREATE TABLE checkpoints (
    election_id TEXT NOT NULL REFERENCES elections(id),
    size INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (election_id, size)
);

-- No way to rewrite the log: updates and deletes of entries and checkpoints are refused.
CREATE TRIGGER log_entries_no_update BEFORE UPDATE ON log_entries
BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;
CREATE TRIGGER log_entries_no_delete BEFORE DELETE ON log_entries
BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;
CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
