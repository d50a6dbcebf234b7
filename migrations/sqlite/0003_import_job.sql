-- Bulk imports of pre-coded events (`diplograph import`): one row per imported file, keyed by
-- format and content hash, with the last line whose batch committed, so a re-run resumes there
-- and a finished file is skipped.
create table import_job (
    id            integer primary key,
    format        text not null,            -- 'bench-countries' | 'bench-persons' | 'bench-events' | 'gdelt2'
    path          text not null,            -- as given on the first run, for messages
    file_hash     text not null,            -- sha-256 of the file's bytes
    file_bytes    integer not null,
    lines_done    integer not null default 0, -- last line (1-based, header included) of the last committed batch
    bytes_done    integer not null default 0, -- byte offset just after that line
    rows_stored   integer not null default 0, -- rows that became an event or a mention
    events_new    integer not null default 0,
    events_dedup  integer not null default 0, -- rows that matched a stored event and added a mention
    rows_skipped  integer not null default 0, -- rows skipped for a counted reason (regional actor, unmapped code)
    bad_rows      integer not null default 0, -- malformed rows, reported with their line number
    skipped       text not null default '{}', -- JSON {reason: count}
    status        text not null default 'running' check (status in ('running', 'done')),
    finished_at   text,
    created_at    text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    unique (format, file_hash)
);
