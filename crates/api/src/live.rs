//! [`LiveFeed`]: the events the ingestion routes store, fanned out to `GET /v1/stream` clients.
//!
//! A tokio broadcast channel carries new items to connected clients; a bounded ring buffer of
//! the most recent items lets a client that reconnects with `Last-Event-ID` catch up. Ids are
//! monotonic and start from the clock at start-up (microseconds since 1970), so an id from
//! before a restart is still smaller than every id after it.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use diplograph_graph::EventView;
use tokio::sync::{broadcast, watch};

/// How many recent items a reconnecting client can catch up on.
pub(crate) const DEFAULT_REPLAY: usize = 1024;

/// What happened to an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveKind {
    /// A new event was stored.
    Created,
    /// Another article reported a stored event: it has a new mention.
    Mentioned,
}

impl LiveKind {
    /// The SSE `event:` name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "event",
            Self::Mentioned => "mention",
        }
    }
}

/// One item of the feed: the SSE id, its kind and the event as JSON.
#[derive(Debug, Clone)]
pub struct LiveItem {
    pub id: u64,
    pub kind: LiveKind,
    pub json: Arc<str>,
}

/// The feed; share it in an `Arc`.
#[derive(Debug)]
pub struct LiveFeed {
    tx: broadcast::Sender<LiveItem>,
    inner: Mutex<Ring>,
    /// Becomes `true` at shutdown, so open streams end and the server can stop.
    closed: watch::Sender<bool>,
}

#[derive(Debug)]
struct Ring {
    next_id: u64,
    capacity: usize,
    items: VecDeque<LiveItem>,
}

impl LiveFeed {
    /// A feed that keeps the last `capacity` items for replay.
    pub fn new(capacity: usize) -> Self {
        let first_id = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(1, |d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX / 2));
        let (tx, _) = broadcast::channel(capacity.max(16));
        Self {
            tx,
            closed: watch::Sender::new(false),
            inner: Mutex::new(Ring {
                next_id: first_id,
                capacity: capacity.max(1),
                items: VecDeque::new(),
            }),
        }
    }

    /// Publishes an event; the ring lock is held while sending, so ids reach clients in order.
    pub fn publish(&self, kind: LiveKind, event: &EventView) {
        let json: Arc<str> = match serde_json::to_string(event) {
            Ok(json) => json.into(),
            Err(err) => {
                tracing::error!(error = %err, "cannot serialize an event for the stream");
                return;
            }
        };
        let mut ring = self.lock();
        let item = LiveItem {
            id: ring.next_id,
            kind,
            json,
        };
        ring.next_id += 1;
        if ring.items.len() == ring.capacity {
            ring.items.pop_front();
        }
        ring.items.push_back(item.clone());
        // No receiver is not an error: nobody is listening right now.
        let _ = self.tx.send(item);
    }

    /// Subscribes, returning the items after `last_id` still in the ring (oldest first), whether
    /// some were already dropped from it, and a receiver for everything published later.
    pub fn subscribe(&self, last_id: Option<u64>) -> Subscription {
        let ring = self.lock();
        let rx = self.tx.subscribe();
        let (backlog, gap) = match last_id {
            None => (Vec::new(), false),
            Some(last) => {
                let backlog: Vec<LiveItem> = ring.items.iter().filter(|i| i.id > last).cloned().collect();
                let oldest = ring.items.front().map_or(ring.next_id, |i| i.id);
                (backlog, last.saturating_add(1) < oldest && last < ring.next_id)
            }
        };
        Subscription { backlog, gap, rx }
    }

    /// Ends every open stream (at shutdown); later subscribers end at once too.
    pub fn close(&self) {
        self.closed.send_replace(true);
    }

    /// Resolves once [`LiveFeed::close`] was called.
    pub fn closed(&self) -> impl std::future::Future<Output = ()> + Send + use<> {
        let mut rx = self.closed.subscribe();
        async move {
            // An error means the sender is gone, which also ends the stream.
            let _ = rx.wait_for(|closed| *closed).await;
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Ring> {
        // A panic while holding the lock cannot leave the ring inconsistent: keep going.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Default for LiveFeed {
    fn default() -> Self {
        Self::new(DEFAULT_REPLAY)
    }
}

/// A client's view of the feed.
#[derive(Debug)]
pub struct Subscription {
    /// Items to replay first.
    pub backlog: Vec<LiveItem>,
    /// Items after the client's last id were already dropped from the ring.
    pub gap: bool,
    /// New items.
    pub rx: broadcast::Receiver<LiveItem>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> EventView {
        use diplograph_core::{EventKind, FuzzyDate, Modality};
        EventView {
            id: diplograph_graph::EventId::parse("e1").expect("id"),
            kind: EventKind::Meet,
            modality: Modality::Asserted,
            date: FuzzyDate::UNKNOWN,
            confidence: 1.0,
            participants: Vec::new(),
            places: Vec::new(),
            mentions: Vec::new(),
        }
    }

    #[test]
    fn ids_are_monotonic_and_replay_starts_after_the_last_id() {
        let feed = LiveFeed::new(3);
        for _ in 0..5 {
            feed.publish(LiveKind::Created, &event());
        }
        let all = feed.subscribe(Some(0));
        assert_eq!(all.backlog.len(), 3, "the ring keeps the last 3");
        assert!(all.gap, "items were dropped");
        let ids: Vec<u64> = all.backlog.iter().map(|i| i.id).collect();
        assert!(ids.windows(2).all(|w| w[1] == w[0] + 1), "{ids:?}");
        let after = feed.subscribe(Some(ids[1]));
        assert_eq!(after.backlog.len(), 1);
        assert_eq!(after.backlog[0].id, ids[2]);
        assert!(!after.gap);
    }

    #[test]
    fn a_fresh_client_gets_no_backlog_but_new_items() {
        let feed = LiveFeed::new(8);
        feed.publish(LiveKind::Created, &event());
        let mut sub = feed.subscribe(None);
        assert!(sub.backlog.is_empty());
        feed.publish(LiveKind::Mentioned, &event());
        let item = sub.rx.try_recv().expect("a new item");
        assert_eq!(item.kind, LiveKind::Mentioned);
    }

    #[test]
    fn an_id_from_the_future_replays_nothing_and_reports_no_gap() {
        let feed = LiveFeed::new(8);
        feed.publish(LiveKind::Created, &event());
        let sub = feed.subscribe(Some(u64::MAX - 1));
        assert!(sub.backlog.is_empty());
        assert!(!sub.gap);
    }
}
