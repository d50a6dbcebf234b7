-- Search terms: every word-suffix of every normalized name and alias ("mustafa al kadhimi",
-- "al kadhimi", "kadhimi"), so a prefix search finds people by surname or any later name part.
create table search_term (
    entity_id  text not null references entity (id) on delete cascade,
    term       text not null,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    primary key (entity_id, term)
);
create index search_term_term on search_term (term);
