-- A count of committed writes. Every write transaction (apply, batch, merge, import batch) adds
-- one before it commits, so a process that holds the graph in memory (`diplograph serve`) sees
-- when another process (`diplograph ingest`, `import`, a second server) has written, and reloads.
create table store_version (
    id      integer primary key check (id = 1),
    version bigint not null
);
insert into store_version (id, version) values (1, 0);
