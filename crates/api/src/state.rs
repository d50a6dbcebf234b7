//! [`AppState`]: what every handler can reach.

use std::sync::Arc;

use diplograph_graph::Store;

use crate::config::ApiConfig;

/// Shared by all handlers; cheap to clone. Add a field here rather than a second state type.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database: the record of articles, entities and events.
    pub store: Store,
    /// Settings of the HTTP layer.
    pub config: Arc<ApiConfig>,
}

impl AppState {
    /// Bundles a store and a configuration.
    pub fn new(store: Store, config: ApiConfig) -> Self {
        Self {
            store,
            config: Arc::new(config),
        }
    }
}
