//! Store tests: every test runs on SQLite and, when `DIPLOGRAPH_TEST_POSTGRES_URL` is set, on a
//! fresh PostgreSQL database.

mod apply;
mod batch;
mod cache;
mod common;
mod connect;
mod export;
mod fixtures;
mod graph;
mod import;
mod integrity;
mod merge;
mod queries;
mod restore;
