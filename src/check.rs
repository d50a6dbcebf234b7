//! `diplograph check [--json]`: count what is stored and check it (no orphaned rows, rollups
//! equal to a recount from the raw events). Prints the counts and each problem; the exit status
//! is 1 when anything is wrong. Reads only.

use anyhow::{Context, bail};
use clap::Args;
use diplograph_graph::{IntegrityReport, Store};

/// Settings of `diplograph check`.
#[derive(Args)]
pub(crate) struct CheckArgs {
    /// Print the report as one JSON object (counts and `problems`) instead of text.
    #[arg(long)]
    pub(crate) json: bool,
}

pub(crate) async fn run(database_url: &str, args: CheckArgs) -> anyhow::Result<()> {
    let store = Store::connect(database_url)
        .await
        .context("connecting to the database")?;
    let report = store.check_integrity().await;
    store.close().await;
    let report = report.context("checking the store (is it migrated? `diplograph migrate`)")?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string(&report).context("encoding the report")?
        );
    } else {
        print!("{}", text(&report));
    }
    if !report.is_sound() {
        bail!("{} integrity problem(s) found", report.problems.len());
    }
    Ok(())
}

fn text(r: &IntegrityReport) -> String {
    let mut out = format!(
        "articles: {}, entities: {}, events: {}, mentions: {}, participants: {}, tie rows: {}\n",
        r.articles, r.entities, r.events, r.mentions, r.participants, r.tie_rows
    );
    if r.is_sound() {
        out.push_str("ok: no orphaned rows; every rollup row equals a recount of the events\n");
    }
    for problem in &r.problems {
        out.push_str(&format!("problem: {problem}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_report_names_counts_and_problems() {
        let mut report = IntegrityReport {
            articles: 3,
            events: 7,
            ..IntegrityReport::default()
        };
        assert!(text(&report).contains("articles: 3, entities: 0, events: 7"));
        assert!(text(&report).contains("ok: "));
        report.problems.push("2 events without a mention".into());
        let t = text(&report);
        assert!(
            t.contains("problem: 2 events without a mention") && !t.contains("ok: "),
            "{t}"
        );
    }
}
