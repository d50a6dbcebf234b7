-- Leaner storage for millions of events (issue 4's benchmark: 1M events). Keep in step with
-- migrations/sqlite/0004_lean_storage.sql (which also moves three tables to WITHOUT ROWID, a
-- SQLite-only storage form).
-- Indexes no query uses: events are always reached through participant or by id, and the
-- unique (event_id, article_id, sentence) index already serves mention lookups by event.
drop index event_kind_day;
drop index event_day;
drop index mention_event;
