//! [`AppState`]: what every handler can reach.

use std::fmt;
use std::sync::Arc;

use diplograph_graph::Store;
use diplograph_ingest::Extractor;
use metrics_exporter_prometheus::PrometheusHandle;

use crate::config::ApiConfig;
use crate::live::LiveFeed;

/// Shared by all handlers; cheap to clone. Add a field here rather than a second state type.
#[derive(Clone)]
pub struct AppState {
    /// The database: the record of articles, entities and events.
    pub store: Store,
    /// Settings of the HTTP layer.
    pub config: Arc<ApiConfig>,
    /// The compiled extractor (built once at start-up; extraction runs on blocking threads).
    pub extractor: Arc<Extractor>,
    /// Newly stored events, for `GET /v1/stream`.
    pub live: Arc<LiveFeed>,
    /// Renders `/metrics`; `None` when no recorder is installed (the route then answers 404).
    pub metrics: Option<PrometheusHandle>,
}

impl AppState {
    /// Bundles a store, a configuration and an extractor, with an empty live feed and no
    /// metrics recorder.
    pub fn new(store: Store, config: ApiConfig, extractor: Arc<Extractor>) -> Self {
        Self {
            store,
            config: Arc::new(config),
            extractor,
            live: Arc::new(LiveFeed::default()),
            metrics: None,
        }
    }

    /// Serves `/metrics` from this handle (see [`crate::install_metrics_recorder`]).
    pub fn with_metrics(mut self, handle: PrometheusHandle) -> Self {
        self.metrics = Some(handle);
        self
    }
}

/// The extractor and the metrics handle have no useful `Debug`; show what matters.
impl fmt::Debug for AppState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppState")
            .field("store", &self.store)
            .field("config", &self.config)
            .field("metrics", &self.metrics.is_some())
            .finish_non_exhaustive()
    }
}
