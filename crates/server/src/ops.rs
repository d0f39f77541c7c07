//! Operations: Prometheus metrics.

use metrics::{Counter, Histogram, Key, Label, Metadata, Recorder};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle, PrometheusRecorder};
use std::fmt::Write;

/// The server's metrics, through the `metrics` crates: counters and latency histograms in a
/// Prometheus recorder of this server's own (no global state, so several servers in one
/// process keep theirs apart), rendered in the Prometheus text format with Prometheus names.
pub struct Metrics {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
    pub ballots_accepted: Counter,
    pub ballots_rejected: Counter,
    pub spoiled_accepted: Counter,
    pub signins: Counter,
    pub signins_rejected: Counter,
    pub signins_rate_limited: Counter,
    /// Checkpoints sent to the witnesses, and the rounds that timed out without their quorum.
    pub witness_rounds: Counter,
    pub witness_failures: Counter,
    /// Connections closed on arrival because the cap was reached.
    pub connections_refused: Counter,
    /// Appends that found another process's entries first (several processes on one
    /// PostgreSQL), and the entries read back and checked again because of them.
    pub appends_moved: Counter,
    pub entries_reread: Counter,
    /// From a cast request's arrival to its durable, witnessed acknowledgement.
    pub cast_seconds: Histogram,
    /// From signing a checkpoint to its witnesses' quorum.
    pub witness_seconds: Histogram,
}

/// Histogram buckets, in seconds: half a millisecond to ten seconds.
const BUCKETS: &[f64] = &[0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

const METADATA: Metadata<'static> = Metadata::new("convene_server", metrics::Level::INFO, None);

impl Default for Metrics {
    fn default() -> Metrics {
        let recorder = PrometheusBuilder::new().set_buckets(BUCKETS).expect("buckets are given").build_recorder();
        let counter = |name: &'static str, help: &'static str| {
            recorder.describe_counter(name.into(), None, help.into());
            recorder.register_counter(&Key::from_static_name(name), &METADATA)
        };
        let histogram = |name: &'static str, help: &'static str| {
            recorder.describe_histogram(name.into(), Some(metrics::Unit::Seconds), help.into());
            recorder.register_histogram(&Key::from_static_name(name), &METADATA)
        };
        Metrics {
            ballots_accepted: counter("convene_ballots_accepted_total", "Cast ballots durably committed."),
            ballots_rejected: counter("convene_ballots_rejected_total", "Ballots refused at the door."),
            spoiled_accepted: counter(
                "convene_spoiled_accepted_total",
                "Challenged (spoiled) ballots durably committed.",
            ),
            signins: counter("convene_signins_total", "Successful voter sign-ins."),
            signins_rejected: counter(
                "convene_signins_rejected_total",
                "Sign-ins with an unknown or spent code, or the wrong credential.",
            ),
            signins_rate_limited: counter("convene_signins_rate_limited_total", "Sign-ins refused by a limit."),
            witness_rounds: counter("convene_witness_rounds_total", "Checkpoints sent to the witnesses."),
            witness_failures: counter(
                "convene_witness_failures_total",
                "Checkpoints that did not reach the witnesses' quorum in time.",
            ),
            connections_refused: counter(
                "convene_connections_refused_total",
                "Connections closed on arrival because the server had its most open connections.",
            ),
            appends_moved: counter(
                "convene_append_moved_total",
                "Appends that found another process's entries first, and were checked again after them.",
            ),
            entries_reread: counter(
                "convene_append_reread_entries_total",
                "Entries another process appended first, read back and checked again by this one.",
            ),
            cast_seconds: histogram(
                "convene_cast_duration_seconds",
                "From a cast request's arrival to its durable, witnessed acknowledgement.",
            ),
            witness_seconds: histogram(
                "convene_witness_quorum_duration_seconds",
                "From signing a checkpoint to its witnesses' quorum.",
            ),
            handle: recorder.handle(),
            recorder,
        }
    }
}

impl Metrics {
    pub fn inc(counter: &Counter) {
        counter.increment(1);
    }

    /// One HTTP request answered: its route (the pattern, such as `/api/elections/:id/ballots`,
    /// so that the labels stay few), method, status class and duration.
    pub fn request(&self, route: &str, method: &str, status: u16, seconds: f64) {
        let labels = vec![
            Label::new("route", route.to_string()),
            Label::new("method", method.to_string()),
            Label::new("status", format!("{}xx", status / 100)),
        ];
        let key = Key::from_parts("convene_http_request_duration_seconds", labels);
        self.recorder.register_histogram(&key, &METADATA).record(seconds);
    }

    /// The Prometheus text exposition format.
    pub fn render(&self, backend: &str) -> String {
        let mut out = self.handle.render();
        let _ = writeln!(out, "# HELP convene_store_info The storage backend.\n# TYPE convene_store_info gauge\nconvene_store_info{{backend=\"{backend}\"}} 1");
        out
    }
}
