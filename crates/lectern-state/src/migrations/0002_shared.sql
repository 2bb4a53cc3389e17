-- lectern's state, version 2: what several replicas share when the database is a server
-- (Postgres). Portable SQL, as version 1. A single SQLite file never uses these tables for
-- flood control and quotes (each process keeps those in memory), but has them all the same.

-- Flood control per user: a window opened at the first answer (Unix milliseconds) and the
-- answers counted in it; one atomic upsert admits or refuses, whichever replica asks.
CREATE TABLE flood (
    user_id BIGINT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    hits BIGINT NOT NULL
);

-- The no-repeat quote rounds of /quote and its button, per channel and pool ("scope/size"):
-- the quotes (indices into the pool) drawn this round, in order (seq), so that a new round
-- does not open with the quote that closed the last one.
CREATE TABLE quote_rounds (
    channel_id BIGINT NOT NULL,
    pool TEXT NOT NULL,
    quote BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    PRIMARY KEY (channel_id, pool, quote)
);

-- Leases: which process runs a job (the scheduler of the quote of the day, announcements and
-- purges) until when (Unix seconds); renewed by its holder, taken over once expired.
CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires BIGINT NOT NULL
);
