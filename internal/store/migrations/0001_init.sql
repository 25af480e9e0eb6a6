-- kabar schema, version 1.
-- Times are INTEGER Unix nanoseconds (UTC) unless noted; published and
-- modified are RFC 3339 TEXT so the publisher's UTC offset survives.

CREATE TABLE articles (
    id           INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: feed readers key on it
    source       TEXT    NOT NULL,
    url          TEXT    NOT NULL UNIQUE,      -- canonical URL, never changes for a row
    page_url     TEXT    NOT NULL DEFAULT '',  -- URL the latest version was read from
    title        TEXT    NOT NULL DEFAULT '',
    published    TEXT    NOT NULL DEFAULT '',
    method       TEXT    NOT NULL DEFAULT '',
    confidence   REAL    NOT NULL DEFAULT 0,
    authors_n    INTEGER NOT NULL DEFAULT 0,   -- number of authors (extraction health)
    meta         BLOB    NOT NULL DEFAULT x'', -- the other metadata, see meta.go
    content_hash TEXT    NOT NULL,
    minhash      BLOB,                         -- MinHash signature of the body text, NULL when too short
    duplicate_of INTEGER,                      -- first-seen near-duplicate from another source
    first_seen   INTEGER NOT NULL,
    last_seen    INTEGER NOT NULL,
    updated      INTEGER NOT NULL,
    sort_time    INTEGER NOT NULL,             -- published (clamped to first_seen), else first_seen
    text         TEXT    NOT NULL DEFAULT '',
    html         TEXT    NOT NULL DEFAULT ''
);

-- Newest N of one source; also serves counts and retention.
CREATE INDEX articles_source_time ON articles (source, sort_time DESC, id DESC);
-- Newest N of all sources, near-duplicates collapsed.
CREATE INDEX articles_merged_time ON articles (sort_time DESC, id DESC) WHERE duplicate_of IS NULL;
-- Known(url) by the fetched URL when it differs from the canonical one.
CREATE INDEX articles_page_url ON articles (page_url) WHERE page_url <> url;
-- Re-rooting duplicates when their first-seen article is pruned.
CREATE INDEX articles_duplicate_of ON articles (duplicate_of) WHERE duplicate_of IS NOT NULL;

-- Tags and the section of each article, lower-cased, for index-backed tag
-- queries; deleted by recomputing them from articles.tags and section.
CREATE TABLE article_tags (
    tag        TEXT    NOT NULL,
    article_id INTEGER NOT NULL,
    PRIMARY KEY (tag, article_id)
) WITHOUT ROWID;

-- URLs seen besides the canonical and page URL of a stored article: former
-- canonical URLs of an article whose URL changed (article_id set), and URLs
-- of pruned articles (article_id NULL) so they are not fetched again.
CREATE TABLE seen_urls (
    url        TEXT    PRIMARY KEY,
    article_id INTEGER,
    source     TEXT    NOT NULL,
    at         INTEGER NOT NULL
);
CREATE INDEX seen_urls_article ON seen_urls (article_id) WHERE article_id IS NOT NULL;
CREATE INDEX seen_urls_source_at ON seen_urls (source, at) WHERE article_id IS NULL;

-- Per-source summary kept up to date by writes: the feeds' cache key.
CREATE TABLE sources (
    name        TEXT    PRIMARY KEY,
    last_change INTEGER NOT NULL DEFAULT 0
);

-- HTTP validators of listing pages, feeds and sitemaps.
CREATE TABLE validators (
    url           TEXT    PRIMARY KEY,
    etag          TEXT    NOT NULL DEFAULT '',
    last_modified TEXT    NOT NULL DEFAULT '',
    at            INTEGER NOT NULL
);

CREATE TABLE crawl_runs (
    id       INTEGER PRIMARY KEY,
    source   TEXT    NOT NULL,
    started  INTEGER NOT NULL,
    duration INTEGER NOT NULL,   -- nanoseconds
    pages    INTEGER NOT NULL,
    new      INTEGER NOT NULL,
    updated  INTEGER NOT NULL,
    errors   INTEGER NOT NULL,
    err      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX crawl_runs_source ON crawl_runs (source, started DESC);

CREATE TABLE leases (
    source  TEXT    PRIMARY KEY,
    owner   TEXT    NOT NULL,
    expires INTEGER NOT NULL
);
