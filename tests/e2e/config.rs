//! The deployment files and the docs name only settings the binary reads: the environment
//! variables are taken from the real `--help` output (`[env: NAME]`), not from a copy.
//!
//! `docker-compose.yml` is read with a small line-based reader (no YAML crate in the
//! workspace): it understands the block style our file uses, `KEY=VALUE` list items or
//! `KEY: VALUE` maps under `environment:`.

use std::collections::BTreeSet;
use std::path::Path;

use crate::helpers::diplograph;

/// The compose service that runs the binary.
const SERVICE: &str = "diplograph";

fn project_file(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

fn help(args: &[&str]) -> String {
    let out = diplograph().args(args).output().expect("run diplograph --help");
    assert!(out.status.success(), "{args:?} failed");
    String::from_utf8(out.stdout).expect("utf-8 help")
}

/// Every environment variable the binary reads, from the help of every subcommand.
fn env_vars_the_binary_reads() -> BTreeSet<String> {
    let top = help(&["--help"]);
    let mut all = top.clone();
    for sub in subcommands(&top) {
        all.push_str(&help(&[&sub, "--help"]));
    }
    let mut names: BTreeSet<String> = all
        .split("[env: ")
        .skip(1)
        .map(|rest| rest.split(['=', ']']).next().unwrap_or_default().to_owned())
        .collect();
    // Logging is configured by RUST_LOG, which the help names in prose.
    if top.contains("RUST_LOG") {
        names.insert("RUST_LOG".to_owned());
    }
    names
}

/// The names listed under `Commands:` in the top-level help.
fn subcommands(top_help: &str) -> Vec<String> {
    top_help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

/// `(name, value)` of each entry under `services.<service>.environment`.
fn compose_environment(yaml: &str, service: &str) -> Vec<(String, String)> {
    let lines: Vec<(usize, &str)> = yaml
        .lines()
        .map(|l| l.split(" #").next().unwrap_or(l).trim_end())
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|l| (l.len() - l.trim_start().len(), l.trim()))
        .collect();
    let block = |from: usize, indent: usize| {
        lines[from + 1..]
            .iter()
            .take_while(move |(i, _)| *i > indent)
            .copied()
            .collect::<Vec<_>>()
    };
    let services = lines
        .iter()
        .position(|&(i, l)| i == 0 && l == "services:")
        .expect("services: key");
    let in_services = block(services, 0);
    let start = in_services
        .iter()
        .position(|&(_, l)| l == format!("{service}:"))
        .expect("service block");
    let service_indent = in_services[start].0;
    let service_block: Vec<_> = in_services[start + 1..]
        .iter()
        .take_while(|(i, _)| *i > service_indent)
        .copied()
        .collect();
    let env_at = service_block
        .iter()
        .position(|&(_, l)| l == "environment:")
        .expect("environment: key");
    let env_indent = service_block[env_at].0;
    service_block[env_at + 1..]
        .iter()
        .take_while(|(i, _)| *i > env_indent)
        .map(|&(_, l)| parse_env_entry(l))
        .collect()
}

fn parse_env_entry(line: &str) -> (String, String) {
    let unquote = |s: &str| s.trim().trim_matches('"').trim_matches('\'').to_owned();
    match line.strip_prefix("- ") {
        Some(item) => {
            let item = unquote(item);
            let (name, value) = item.split_once('=').unwrap_or((&item, ""));
            (name.to_owned(), value.to_owned())
        }
        None => {
            let (name, value) = line.split_once(':').expect("KEY: VALUE");
            (unquote(name), unquote(value))
        }
    }
}

/// Names interpolated as `${NAME…}` in `text`.
fn interpolated(text: &str) -> BTreeSet<String> {
    text.split("${")
        .skip(1)
        .map(|rest| {
            rest.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .next()
                .unwrap_or_default()
        })
        .map(str::to_owned)
        .collect()
}

#[test]
fn compose_sets_only_variables_the_binary_reads() {
    let known = env_vars_the_binary_reads();
    assert!(
        known.contains("DATABASE_URL") && known.contains("DIPLOGRAPH_LISTEN"),
        "{known:?}"
    );
    let env = compose_environment(&project_file("docker-compose.yml"), SERVICE);
    assert!(!env.is_empty(), "no environment for {SERVICE}");
    for (name, _) in &env {
        assert!(
            known.contains(name),
            "docker-compose.yml sets {name}, which diplograph does not read"
        );
    }
    let value = |name: &str| env.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    assert!(value("DATABASE_URL").is_some_and(|v| v.starts_with("postgres://") && v.contains("@db:5432/")));
    assert_eq!(value("DIPLOGRAPH_LISTEN"), Some("0.0.0.0:8080"));
    assert!(value("DIPLOGRAPH_API_KEY").is_some_and(|v| v.starts_with("${DIPLOGRAPH_API_KEY:?")));
}

#[test]
fn env_example_defines_every_variable_compose_interpolates() {
    let example = project_file(".env.example");
    let defined: BTreeSet<String> = example
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once('=').map(|(name, _)| name.trim().to_owned()))
        .collect();
    for name in interpolated(&project_file("docker-compose.yml")) {
        assert!(
            defined.contains(&name),
            "docker-compose.yml uses ${{{name}}}, missing from .env.example"
        );
    }
}

#[test]
fn readme_documents_exactly_the_variables_the_binary_reads() {
    let readme = project_file("README.md");
    let known = env_vars_the_binary_reads();
    for name in &known {
        assert!(
            readme.contains(name.as_str()),
            "README.md does not document {name}"
        );
    }
    let mentioned = readme
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.starts_with("DIPLOGRAPH_") && !w.starts_with("DIPLOGRAPH_TEST_"));
    for name in mentioned {
        assert!(
            known.contains(name),
            "README.md documents {name}, which diplograph does not read"
        );
    }
}

#[test]
fn dockerfile_runs_a_subcommand_that_exists() {
    let dockerfile = project_file("Dockerfile");
    let subcommands = subcommands(&help(&["--help"]));
    let cmd = dockerfile
        .lines()
        .find(|l| l.starts_with("CMD "))
        .expect("a CMD line");
    assert!(
        subcommands.iter().any(|s| cmd.contains(&format!("\"{s}\""))),
        "{cmd} vs {subcommands:?}"
    );
}

#[test]
fn help_never_shows_secret_values() {
    let out = diplograph()
        .args(["serve", "--help"])
        .env("DATABASE_URL", "postgres://u:pw-in-url@db/x")
        .env("DIPLOGRAPH_API_KEY", "key-in-env")
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        !text.contains("pw-in-url") && !text.contains("key-in-env"),
        "{text}"
    );
}

#[test]
fn compose_reader_understands_lists_and_maps() {
    let yaml = "services:\n  db:\n    environment:\n      - X=1\n  diplograph:\n    image: x\n    \
                environment:\n      # comment\n      - A=1\n      B: \"two\"\n    ports: []\nvolumes: {}\n";
    let env = compose_environment(yaml, "diplograph");
    assert_eq!(
        env,
        [
            ("A".to_owned(), "1".to_owned()),
            ("B".to_owned(), "two".to_owned())
        ]
    );
}
