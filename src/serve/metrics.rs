//! `GET /metrics`: the service's counters in Prometheus's text format, `storyline_` prefixed:
//! articles stored, records refused, write requests, the latency of a write (a histogram), and
//! the store's articles, families and stories at the time of the scrape.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use super::{read, Failure, Shared};

/// Upper bounds of the write-latency buckets, in seconds.
const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Default)]
pub(super) struct Metrics {
    articles_stored: AtomicU64,
    articles_already_stored: AtomicU64,
    records_refused: AtomicU64,
    writes: AtomicU64,
    /// Cumulative counts per bucket, then the count of all; and the sum in microseconds.
    latency: [AtomicU64; BUCKETS.len() + 1],
    latency_sum_us: AtomicU64,
}

impl Metrics {
    pub fn write(&self, stored: usize, already: usize, refused: usize, took: Duration) {
        let relaxed = Ordering::Relaxed;
        self.articles_stored.fetch_add(stored as u64, relaxed);
        self.articles_already_stored
            .fetch_add(already as u64, relaxed);
        self.records_refused.fetch_add(refused as u64, relaxed);
        self.writes.fetch_add(1, relaxed);
        let secs = took.as_secs_f64();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if secs <= *bound {
                self.latency[i].fetch_add(1, relaxed);
            }
        }
        self.latency[BUCKETS.len()].fetch_add(1, relaxed);
        self.latency_sum_us
            .fetch_add(took.as_micros() as u64, relaxed);
    }
}

pub(super) fn routes() -> Router<Shared> {
    Router::new().route("/metrics", get(metrics))
}

async fn metrics(State(app): State<Shared>) -> Result<impl IntoResponse, Failure> {
    let (articles, families, stories) = read(&app, |s| s.counts()).await?;
    let m = &app.metrics;
    let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
    let mut out = String::new();
    let mut counter = |name: &str, help: &str, value: u64| {
        let _ = write!(
            out,
            "# HELP storyline_{name} {help}\n# TYPE storyline_{name} counter\nstoryline_{name} {value}\n"
        );
    };
    counter(
        "articles_stored_total",
        "Articles stored by this process.",
        get(&m.articles_stored),
    );
    counter(
        "articles_already_stored_total",
        "Records posted that the store already held.",
        get(&m.articles_already_stored),
    );
    counter(
        "records_refused_total",
        "Records posted that could not be read (located errors in the answer).",
        get(&m.records_refused),
    );
    counter(
        "write_requests_total",
        "Write requests whose records were read (a body that is no JSON is refused before).",
        get(&m.writes),
    );
    let _ = write!(
        out,
        "# HELP storyline_write_seconds Time from a write request to its committed answer.\n# TYPE storyline_write_seconds histogram\n"
    );
    for (i, bound) in BUCKETS.iter().enumerate() {
        let _ = writeln!(
            out,
            "storyline_write_seconds_bucket{{le=\"{bound}\"}} {}",
            get(&m.latency[i])
        );
    }
    let all = get(&m.latency[BUCKETS.len()]);
    let _ = write!(
        out,
        "storyline_write_seconds_bucket{{le=\"+Inf\"}} {all}\nstoryline_write_seconds_sum {}\nstoryline_write_seconds_count {all}\n",
        get(&m.latency_sum_us) as f64 / 1e6
    );
    for (name, value) in [
        ("articles", articles),
        ("families", families),
        ("stories", stories),
    ] {
        let _ = write!(
            out,
            "# HELP storyline_store_{name} {name} in the store.\n# TYPE storyline_store_{name} gauge\nstoryline_store_{name} {value}\n"
        );
    }
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        out,
    ))
}
