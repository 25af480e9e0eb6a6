-- kabar schema, version 2: the store hands out article ids itself.
--
-- AUTOINCREMENT rewrote sqlite_sequence on every inserted article; now a
-- write transaction that inserts articles records the highest id it handed
-- out once, in id_floor, and new ids start above both that and the highest
-- stored id. Ids are still never reused: feed readers and duplicate_of
-- links key on them. The table keeps its columns, rows and ids; SQLite
-- cannot drop AUTOINCREMENT in place, so it is rebuilt.

CREATE TABLE id_floor (
    name TEXT    PRIMARY KEY,  -- the table whose ids it covers
    id   INTEGER NOT NULL      -- the highest id ever handed out
) WITHOUT ROWID;
INSERT INTO id_floor (name, id)
    SELECT 'articles', seq FROM sqlite_sequence WHERE name = 'articles';

CREATE TABLE articles_v2 (
    id           INTEGER PRIMARY KEY,          -- never reused, see id_floor
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
INSERT INTO articles_v2 (id, source, url, page_url, title, published, method, confidence, authors_n, meta,
        content_hash, minhash, duplicate_of, first_seen, last_seen, updated, sort_time, text, html)
    SELECT id, source, url, page_url, title, published, method, confidence, authors_n, meta,
        content_hash, minhash, duplicate_of, first_seen, last_seen, updated, sort_time, text, html
    FROM articles ORDER BY id;
DROP TABLE articles;
ALTER TABLE articles_v2 RENAME TO articles;

-- The indexes of version 1, dropped with the old table.
CREATE INDEX articles_source_time ON articles (source, sort_time DESC, id DESC);
CREATE INDEX articles_merged_time ON articles (sort_time DESC, id DESC) WHERE duplicate_of IS NULL;
CREATE INDEX articles_page_url ON articles (page_url) WHERE page_url <> url;
CREATE INDEX articles_duplicate_of ON articles (duplicate_of) WHERE duplicate_of IS NOT NULL;

-- Give the old table's pages back to the file system.
PRAGMA incremental_vacuum;
