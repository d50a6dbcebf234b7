-- Leaner storage for millions of events (issue 4's benchmark: 1M events).
-- 1. Indexes no query uses: events are always reached through participant or by id, and the
--    unique (event_id, article_id, sentence) index already serves mention lookups by event.
drop index event_kind_day;
drop index event_day;
drop index mention_event;

-- 2. Tables whose primary key is how they are read (participant, event_place, tie_day, tie)
--    are stored in that key's b-tree
--    (WITHOUT ROWID), instead of a rowid table plus a second b-tree for the key.
create table participant_v4 (
    event_id   text not null references event (id) on delete cascade,
    entity_id  text not null references entity (id),
    role       text not null,
    country    text,                        -- the entity's country at event time
    kind       text not null,               -- copied from the event so the timeline is one index walk
    modality   text not null,
    sort_day   text not null,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    primary key (event_id, entity_id, role)
) without rowid;
insert into participant_v4 (event_id, entity_id, role, country, kind, modality, sort_day, created_at)
    select event_id, entity_id, role, country, kind, modality, sort_day, created_at from participant;
drop table participant;
alter table participant_v4 rename to participant;
create index participant_entity_timeline on participant (entity_id, modality, sort_day, event_id);
create index participant_country_timeline on participant (country, modality, sort_day, event_id);

create table event_place_v4 (
    event_id   text not null references event (id) on delete cascade,
    entity_id  text references entity (id),
    name       text not null,
    country    text,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    primary key (event_id, name)
) without rowid;
insert into event_place_v4 (event_id, entity_id, name, country, created_at)
    select event_id, entity_id, name, country, created_at from event_place;
drop table event_place;
alter table event_place_v4 rename to event_place;

create table tie_day_v4 (
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
) without rowid;
insert into tie_day_v4 (country, partner, day, kind, modality, direction, n, tone_sum, created_at)
    select country, partner, day, kind, modality, direction, n, tone_sum, created_at from tie_day;
drop table tie_day;
alter table tie_day_v4 rename to tie_day;
create index tie_day_pair on tie_day (country, partner, modality, day);

create table tie_v4 (
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
) without rowid;
insert into tie_v4 (country, partner, kind, modality, direction, n, n_dated, first_day, last_day,
                    tone_sum, last_event_id, created_at)
    select country, partner, kind, modality, direction, n, n_dated, first_day, last_day,
           tone_sum, last_event_id, created_at from tie;
drop table tie;
alter table tie_v4 rename to tie;
