-- diplograph schema, SQLite dialect. Keep in step with migrations/postgres/0001_init.sql.
-- Dates are ISO 'YYYY-MM-DD' text (sqlx binds chrono's NaiveDate so), which sorts correctly.

create table article (
    id           text primary key,          -- UUID v7
    url          text unique,
    title        text,
    published    text,                      -- '2020-07-22', '2020-07' or '2020'
    source       text,
    dateline     text,
    home_country text,
    text_hash    text not null unique,      -- sha-256 of the whitespace-normalized text
    text_bytes   integer not null,
    extractor    text not null,
    created_at   text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

create table entity (
    id          text primary key,           -- ISO3 for countries, UUID v7 otherwise
    kind        text not null check (kind in ('country', 'person', 'organization', 'place')),
    name        text not null,
    country     text,
    resolve_key text not null,              -- normalized name (+ '|' country) the resolver matches on
    created_at  text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
create unique index entity_resolve_key on entity (kind, resolve_key);
create index entity_country on entity (country, kind);

create table alias (
    entity_id  text not null references entity (id) on delete cascade,
    alias      text not null,
    normalized text not null,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    primary key (entity_id, normalized)
);
create index alias_normalized on alias (normalized);

create table affiliation (
    id         integer primary key,
    entity_id  text not null references entity (id) on delete cascade,
    country    text not null,
    title      text not null default '',    -- '' when unknown, so the triple can be unique
    valid_from text,
    valid_to   text,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    unique (entity_id, country, title)
);

create table event (
    id             text primary key,        -- UUID v7
    kind           text not null,
    modality       text not null,
    date_start     text,                    -- DatePoint as written: day, month or year
    date_end       text,
    date_precision text,                    -- 'day' | 'month' | 'year' | null
    first_day      text,                    -- first and last day covered, for range queries
    last_day       text,
    sort_day       text not null,           -- first_day, or '0001-01-01' when undated
    confidence     real not null,
    identity_key   text not null,           -- kind | modality | sorted entity:role list
    created_at     text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
create index event_identity on event (identity_key);
create index event_kind_day on event (modality, kind, sort_day, id);
create index event_day on event (modality, sort_day, id);

create table participant (
    event_id   text not null references event (id) on delete cascade,
    entity_id  text not null references entity (id),
    role       text not null,
    country    text,                        -- the entity's country at event time
    kind       text not null,               -- copied from the event so the timeline is one index walk
    modality   text not null,
    sort_day   text not null,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    primary key (event_id, entity_id, role)
);
create index participant_entity_timeline on participant (entity_id, modality, sort_day, event_id);
create index participant_country_timeline on participant (country, modality, sort_day, event_id);

create table event_place (
    event_id   text not null references event (id) on delete cascade,
    entity_id  text references entity (id),
    name       text not null,
    country    text,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    primary key (event_id, name)
);

create table mention (
    id                text primary key,     -- UUID v7
    event_id          text not null references event (id) on delete cascade,
    article_id        text not null references article (id) on delete cascade,
    sentence          integer not null,
    sentence_start    integer not null,     -- byte offsets into the article text as received
    sentence_end      integer not null,
    evidence          text not null,
    trigger_start     integer,
    trigger_end       integer,
    trigger_text      text,
    participant_spans text not null default '[]', -- JSON [{entity_id, start, end, text}]
    confidence        real not null,
    extractor         text not null,
    created_at        text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    unique (event_id, article_id, sentence)
);
create index mention_event on mention (event_id);
create index mention_article on mention (article_id);

create table merge_log (
    id         integer primary key,
    from_id    text not null,
    into_id    text not null,
    reason     text not null,
    actor      text not null,
    details    text not null default '{}',
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
create index merge_log_from on merge_log (from_id);

-- Rollup: country-level ties. One row per (country, partner, kind, modality, direction);
-- direction is 'out' (country acted), 'in' (partner acted on country) or 'mutual' (symmetric kinds).
create table tie (
    country       text not null,
    partner       text not null,
    kind          text not null,
    modality      text not null,
    direction     text not null check (direction in ('out', 'in', 'mutual')),
    n             integer not null,
    n_dated       integer not null,
    first_day     text,                     -- undated events count but set neither date
    last_day      text,
    tone_sum      real not null,            -- Goldstein sum; mean = tone_sum / n
    last_event_id text,                     -- the latest dated event (by last_day, then id)
    created_at    text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    primary key (country, modality, partner, kind, direction)
);

-- Rollup: ties per day (dated events only), for from/to filters and day/week/month/year series.
create table tie_day (
    country    text not null,
    partner    text not null,
    day        text not null,               -- the event's first day
    kind       text not null,
    modality   text not null,
    direction  text not null,
    n          integer not null,
    tone_sum   real not null,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    primary key (country, modality, day, partner, kind, direction)
);
create index tie_day_pair on tie_day (country, partner, modality, day);
