-- Bulk imports of pre-coded events (`diplograph import`): one row per imported file, keyed by
-- format and content hash, with the last line whose batch committed, so a re-run resumes there
-- and a finished file is skipped. Keep in step with migrations/sqlite/0003_import_job.sql.
create table import_job (
    id            bigint generated always as identity primary key,
    format        text not null,            -- 'bench-countries' | 'bench-persons' | 'bench-events' | 'gdelt2'
    path          text not null,            -- as given on the first run, for messages
    file_hash     text not null,            -- sha-256 of the file's bytes
    file_bytes    bigint not null,
    lines_done    bigint not null default 0, -- last line (1-based, header included) of the last committed batch
    bytes_done    bigint not null default 0, -- byte offset just after that line
    rows_stored   bigint not null default 0, -- rows that became an event or a mention
    events_new    bigint not null default 0,
    events_dedup  bigint not null default 0, -- rows that matched a stored event and added a mention
    rows_skipped  bigint not null default 0, -- rows skipped for a counted reason (regional actor, unmapped code)
    bad_rows      bigint not null default 0, -- malformed rows, reported with their line number
    skipped       text not null default '{}', -- JSON {reason: count}
    status        text not null default 'running' check (status in ('running', 'done')),
    finished_at   timestamptz,
    created_at    timestamptz not null default now(),
    unique (format, file_hash)
);
