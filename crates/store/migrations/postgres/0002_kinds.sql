-- A stored process is a referendum (the default) or a convention; both keep a log of entries,
-- documents and checkpoints in the same tables.
ALTER TABLE elections ADD COLUMN kind TEXT NOT NULL DEFAULT 'referendum';
