//! End-to-end tests of the `diplograph` binary: each test spawns the real executable and talks
//! to it over HTTP (reqwest) or reads its exit status and stderr.
//!
//! Layout:
//! - `helpers` — [`helpers::TestApp`] (a running `serve` on a free port) and `run_to_exit`.
//! - `serve` — health, readiness, the database file, request ids, auth, graceful shutdown on SQLite.
//! - `pg` — a fresh PostgreSQL database per test from `DIPLOGRAPH_TEST_POSTGRES_URL`.
//! - `postgres` — migrate and serve against PostgreSQL (loud skip without the URL; failure under CI).
//! - `bad_input` — bad settings fail with one line on stderr and a non-zero exit.
//! - `config` — `--help`, `docker-compose.yml`, `.env.example` and README agree with the binary.

mod bad_input;
mod config;
mod helpers;
mod pg;
mod postgres;
mod serve;
