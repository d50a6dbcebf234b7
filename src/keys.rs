//! The API keys of `diplograph serve`: [`KeySources`] (the `--api-key` value and the two keys
//! files) read into [`Keys`], and [`watch`], which re-reads the files on SIGHUP and whenever one
//! changes, so keys rotate without a restart. A file that cannot be read or parsed on reload
//! leaves the keys in force and logs an error; log lines never carry a key.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::Context;
use diplograph_api::{ApiKeys, KeyRing, Keys};

use crate::cli::ServeArgs;

/// How often the keys files' modification times are checked.
pub(crate) const POLL_INTERVAL: Duration = Duration::from_secs(2);

/// Where the keys come from.
pub(crate) struct KeySources {
    /// `--api-key`, digested once; kept across reloads.
    fixed: ApiKeys,
    api_keys_file: Option<PathBuf>,
    read_keys_file: Option<PathBuf>,
}

impl KeySources {
    pub(crate) fn new(args: &ServeArgs) -> anyhow::Result<Self> {
        let fixed = match &args.api_key {
            Some(key) => ApiKeys::from_keys([key]).context("invalid DIPLOGRAPH_API_KEY / --api-key")?,
            None => ApiKeys::none(),
        };
        Ok(Self {
            fixed,
            api_keys_file: args.api_keys_file.clone(),
            read_keys_file: args.read_keys_file.clone(),
        })
    }

    /// Reads the files into the keys to put in force.
    pub(crate) fn load(&self) -> anyhow::Result<Keys> {
        let mut write = self.fixed.clone();
        if let Some(path) = &self.api_keys_file {
            write = write.merge(read_keys_file(path, "api keys")?);
        }
        let read = match &self.read_keys_file {
            Some(path) => read_keys_file(path, "read keys")?,
            None => ApiKeys::none(),
        };
        Ok(Keys { write, read })
    }

    fn files(&self) -> impl Iterator<Item = &Path> {
        self.api_keys_file
            .iter()
            .chain(&self.read_keys_file)
            .map(PathBuf::as_path)
    }

    /// Modification time and length of each file (`None` for one that cannot be read).
    fn stamps(&self) -> Vec<Option<(SystemTime, u64)>> {
        self.files()
            .map(|path| {
                let meta = std::fs::metadata(path).ok()?;
                Some((meta.modified().ok()?, meta.len()))
            })
            .collect()
    }
}

fn read_keys_file(path: &Path, what: &str) -> anyhow::Result<ApiKeys> {
    let contents = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the {what} file {}", path.display()))?;
    ApiKeys::parse_keys_file(&contents).with_context(|| format!("invalid {what} file {}", path.display()))
}

/// Logs how many keys are in force.
pub(crate) fn log_keys(keys: &Keys, message: &str) {
    tracing::info!(
        write_keys = keys.write.len(),
        read_keys = keys.read.len(),
        "{message}"
    );
}

/// Reloads the keys into `ring` on SIGHUP and when a keys file's modification time or length
/// changes, until the process ends. Without keys files a SIGHUP is only logged (it does not
/// stop the server).
/// `hangup` comes from [`hangup_signals`], called before the server announces itself, so that
/// no SIGHUP can arrive before the handler is installed (and stop the process).
pub(crate) async fn watch(sources: KeySources, ring: KeyRing, mut hangup: Hangup) {
    let has_files = sources.files().next().is_some();
    let mut tick = tokio::time::interval(POLL_INTERVAL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut stamps = sources.stamps();
    loop {
        let reason = tokio::select! {
            _ = tick.tick(), if has_files => {
                let now = sources.stamps();
                if now == stamps {
                    continue;
                }
                stamps = now;
                "a keys file changed"
            }
            () = next_hangup(&mut hangup) => "SIGHUP",
        };
        if !has_files {
            tracing::info!("SIGHUP received; no keys file to reload");
            continue;
        }
        match sources.load() {
            Ok(keys) => {
                log_keys(&keys, &format!("api keys reloaded ({reason})"));
                ring.replace(keys);
            }
            Err(err) => tracing::error!(
                error = %format!("{err:#}"),
                "cannot reload the api keys ({reason}); keeping the keys in force"
            ),
        }
    }
}

/// The SIGHUP stream (none when it cannot be installed, or off Unix).
#[cfg(unix)]
pub(crate) type Hangup = Option<tokio::signal::unix::Signal>;
#[cfg(not(unix))]
pub(crate) type Hangup = ();

/// Installs the SIGHUP handler: from now on SIGHUP no longer stops the process.
#[cfg(unix)]
pub(crate) fn hangup_signals() -> Hangup {
    use tokio::signal::unix::{SignalKind, signal};
    signal(SignalKind::hangup())
        .map_err(|err| tracing::warn!(error = %err, "cannot listen for SIGHUP; keys reload on change only"))
        .ok()
}

#[cfg(not(unix))]
pub(crate) fn hangup_signals() -> Hangup {}

/// The next SIGHUP; never, when signals cannot be received.
#[cfg(unix)]
async fn next_hangup(hangup: &mut Hangup) {
    let received = match hangup {
        Some(signal) => signal.recv().await.is_some(),
        None => false,
    };
    if !received {
        std::future::pending::<()>().await;
    }
}

#[cfg(not(unix))]
async fn next_hangup(_: &mut Hangup) {
    std::future::pending().await
}
