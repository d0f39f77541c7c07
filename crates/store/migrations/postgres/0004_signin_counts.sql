-- Sign-in limits that every process of one database shares (docs/operations.md, "Sign-ins"):
-- a count of events per key and window (a client address's sign-ins per minute; a code's
-- failures, window 0) and when the last was counted, in milliseconds since 1970.
CREATE TABLE signin_counts (
    key TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    count BIGINT NOT NULL,
    last_ms BIGINT NOT NULL,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX signin_counts_last ON signin_counts (last_ms);
