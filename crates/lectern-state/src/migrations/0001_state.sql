-- lectern's state, version 1. Portable SQL (SQLite and Postgres): BIGINT ids, TEXT, integer
-- flags, ON CONFLICT upserts. Content is never stored here: it stays in the seeds folder.

-- One row per server that changed a setting.
CREATE TABLE guild_settings (
    guild_id BIGINT PRIMARY KEY,
    -- The language of public replies ("en", "zh-CN", "zh-TW", "zh-HK"); NULL: each user's.
    lang TEXT,
    -- Which talks the server sees: "all", "tag" (scope_value: the tag) or "talks"
    -- (scope_value: talk ids, one per line).
    scope_kind TEXT NOT NULL DEFAULT 'all',
    scope_value TEXT NOT NULL DEFAULT '',
    -- Answers private (ephemeral) by default: 0 or 1.
    private_default BIGINT NOT NULL DEFAULT 0,
    -- The quote of the day: channel, local time "HH:MM", IANA zone; channel NULL: off.
    qotd_channel BIGINT,
    qotd_time TEXT,
    qotd_tz TEXT,
    -- Failures in a row to post it; paused at 3. The last reason, for the managers.
    qotd_failures BIGINT NOT NULL DEFAULT 0,
    qotd_error TEXT,
    -- New-talk announcements: the channel, NULL: off.
    announce_channel BIGINT
);

-- One row per server and local day a quote of the day was (or was tried to be) posted: the
-- primary key makes it once per server and day, whichever process claims it first.
CREATE TABLE qotd_posts (
    guild_id BIGINT NOT NULL,
    day TEXT NOT NULL,
    quote TEXT NOT NULL,
    posted BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (guild_id, day)
);

-- The quotes a server's quote of the day already showed this round (cleared when its pool is
-- used up).
CREATE TABLE qotd_used (
    guild_id BIGINT NOT NULL,
    quote TEXT NOT NULL,
    PRIMARY KEY (guild_id, quote)
);

-- Usage per talk and section: section -1 is the talk itself; kind "opened", "quoted", "found".
CREATE TABLE usage_counts (
    talk TEXT NOT NULL,
    section BIGINT NOT NULL,
    kind TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (talk, section, kind)
);

-- Searches that found nothing: the normalised text, how often, when last (Unix seconds).
-- No user, no server.
CREATE TABLE gaps (
    query TEXT PRIMARY KEY,
    count BIGINT NOT NULL,
    first_seen BIGINT NOT NULL,
    last_seen BIGINT NOT NULL
);

-- Servers the bot left, and when (Unix seconds): their rows go after the grace period.
CREATE TABLE guilds_left (
    guild_id BIGINT PRIMARY KEY,
    left_at BIGINT NOT NULL
);

-- Talks announced already (ids), so that a reload announces only what is new to every process.
CREATE TABLE talks_known (
    talk TEXT PRIMARY KEY
);
