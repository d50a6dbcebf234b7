//! Store tests: every test runs on SQLite and, when `DIPLOGRAPH_TEST_POSTGRES_URL` is set, on a
//! fresh PostgreSQL database.

mod apply;
mod cache;
mod common;
mod connect;
mod fixtures;
mod graph;
mod import;
mod merge;
mod queries;
