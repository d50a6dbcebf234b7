//! End-to-end tests of the `diplograph` binary: each test spawns the real executable and talks
//! to it over HTTP (reqwest) or reads its exit status and stderr.
//!
//! Layout:
//! - `helpers` — [`helpers::TestApp`] (a running `serve` on a free port) and `run_to_exit`.
//! - `serve` — health, readiness, the database file, request ids, auth, graceful shutdown on SQLite.
//! - `pg` — a fresh PostgreSQL database per test from `DIPLOGRAPH_TEST_POSTGRES_URL`.
//! - `postgres` — migrate and serve against PostgreSQL (loud skip without the URL; failure under CI).
//! - `bad_input` — bad settings fail with one line on stderr and a non-zero exit.
//! - `check_cli` — `check` on a sound store (SQLite, PostgreSQL) and on one with a tampered rollup.
//! - `extract_cli` — `extract` keeps the input order on any number of threads; bad lines fail the run.
//! - `config` — `--help`, `docker-compose.yml`, `.env.example` and README agree with the binary.
//! - `api` — the seed article through the HTTP API on SQLite and PostgreSQL (ties, people,
//!   meetings, modality, stream, CSV, ETags, graph, merge).
//! - `hostile` — SQL injection and path traversal in every parameter of every route (from the
//!   OpenAPI document) on SQLite and PostgreSQL: no 5xx, store unchanged.
//! - `limits` — oversized heads (431) and bodies (413); slow clients cut off within the timeout.
//! - `bad_requests` — a table of bad requests: status, error code, and every table unchanged.
//! - `openapi` — `/openapi.json` is valid OpenAPI 3.1 and lists every route; `/docs` works offline.
//! - `import` — `import` of the graph crate's bench and GDELT fixtures, re-run skipped, then served.
//! - `ingest` — `ingest` of a folder, JSON Lines and stdin, a resumed run, and every `export` format.
//! - `security` — no non-loopback address without keys; keys files reloaded on SIGHUP and on
//!   change, a bad file keeping the keys in force; keys never logged.
//! - `store_rows` — row counts of every table of a test database.

mod api;
mod bad_input;
mod bad_requests;
mod check_cli;
mod config;
mod extract_cli;
mod helpers;
mod hostile;
mod import;
mod ingest;
mod limits;
mod openapi;
mod pg;
mod postgres;
mod security;
mod serve;
mod store_rows;
