-- Search terms: every word-suffix of every normalized name and alias ("mustafa al kadhimi",
-- "al kadhimi", "kadhimi"), so a prefix search finds people by surname or any later name part.
-- The C collation makes the prefix range (term >= $1 and term < $2) an index range scan.
create table search_term (
    entity_id  text not null references entity (id) on delete cascade,
    term       text collate "C" not null,
    created_at timestamptz not null default now(),
    primary key (entity_id, term)
);
create index search_term_term on search_term (term);
