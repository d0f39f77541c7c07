//! Operations: Prometheus metrics, and the sign-in limits with the client address they key on.

use metrics::{Counter, Histogram, Key, Label, Metadata, Recorder};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle, PrometheusRecorder};
use std::collections::HashMap;
use std::fmt::Write;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

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

/// Token buckets by key: `burst` tokens each, refilled continuously at `per_second`.
pub struct Buckets<K> {
    burst: f64,
    per_second: f64,
    buckets: Mutex<HashMap<K, (f64, Instant)>>,
}

impl<K: std::hash::Hash + Eq> Buckets<K> {
    pub fn new(burst: u32, per_second: f64) -> Buckets<K> {
        Buckets { burst: burst.max(1) as f64, per_second, buckets: Mutex::new(HashMap::new()) }
    }

    /// Takes one token for `key`; false if its bucket is empty.
    pub fn allow(&self, key: K) -> bool {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() > 100_000 {
            // Forget keys whose buckets have refilled, so the map cannot grow without bound.
            let (burst, rate) = (self.burst, self.per_second);
            buckets.retain(|_, (tokens, at)| *tokens + now.duration_since(*at).as_secs_f64() * rate < burst);
        }
        let (tokens, at) = buckets.entry(key).or_insert((self.burst, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * self.per_second).min(self.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// Sign-in limits (docs/openapi.json, signin): per client address, per election, and a backoff
/// per code after repeated failures.
pub struct SigninLimits {
    per_address: Buckets<IpAddr>,
    per_election: Buckets<String>,
    /// Per code hash: the failures so far and until when the code is refused.
    failures: Mutex<HashMap<[u8; 32], (u32, Instant)>>,
}

/// Failed sign-ins with one code before it waits: a voter may mistype twice.
const FREE_FAILURES: u32 = 3;
/// The longest a code waits after failures.
const MAX_BACKOFF_SECONDS: u64 = 300;

impl SigninLimits {
    pub fn new(per_minute: u32, per_election_per_second: u32) -> SigninLimits {
        SigninLimits {
            per_address: Buckets::new(per_minute, per_minute as f64 / 60.0),
            per_election: Buckets::new(per_election_per_second, per_election_per_second as f64),
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Whether a sign-in from `address` may be tried now.
    pub fn allow_address(&self, address: IpAddr) -> bool {
        self.per_address.allow(address)
    }

    /// Whether one more sign-in to `election` may be tried now.
    pub fn allow_election(&self, election: &str) -> bool {
        self.per_election.allow(election.to_string())
    }

    /// The seconds `code` must still wait after its failures, if any.
    pub fn code_waits(&self, code: &[u8; 32]) -> Option<u64> {
        let failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let (_, until) = failures.get(code)?;
        let left = until.saturating_duration_since(Instant::now());
        // Rounded up: a voter told to wait 1 s is not refused again after it.
        (!left.is_zero()).then(|| left.as_secs() + u64::from(left.subsec_nanos() > 0))
    }

    /// Records a failed sign-in with `code`: from the fourth, the code waits 1, 2, 4 … seconds
    /// (at most five minutes) before it may be tried again.
    pub fn code_failed(&self, code: [u8; 32]) {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if failures.len() > 1_000_000 {
            failures.retain(|_, (_, until)| *until > now);
        }
        let (count, until) = failures.entry(code).or_insert((0, now));
        *count += 1;
        if *count >= FREE_FAILURES {
            let wait = 1u64 << (*count - FREE_FAILURES).min(16);
            *until = now + std::time::Duration::from_secs(wait.min(MAX_BACKOFF_SECONDS));
        }
    }
}

/// The client's address: the peer's, or, when the peer is one of the `trusted` proxies, the
/// nearest address in `X-Forwarded-For` that is not (proxies append the address they saw, so
/// the entries to the right are the ones trusted proxies wrote).
pub fn client_address(peer: IpAddr, headers: &axum::http::HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let forwarded = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>();
    let mut nearest = peer;
    for entry in forwarded.join(",").rsplit(',') {
        match entry.trim().parse::<IpAddr>() {
            Ok(address) if trusted.contains(&address) => nearest = address,
            Ok(address) => return address,
            Err(_) => return nearest,
        }
    }
    nearest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limiter_allows_a_burst_then_refuses() {
        let limits = SigninLimits::new(3, 1000);
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        assert!((0..3).all(|_| limits.allow_address(ip)));
        assert!(!limits.allow_address(ip));
        assert!(limits.allow_address("127.0.0.2".parse().unwrap()));
    }

    #[test]
    fn a_code_waits_longer_after_each_failure_from_the_third() {
        let limits = SigninLimits::new(3, 1000);
        let code = [7u8; 32];
        limits.code_failed(code);
        limits.code_failed(code);
        assert_eq!(limits.code_waits(&code), None, "two typos cost nothing");
        limits.code_failed(code);
        assert_eq!(limits.code_waits(&code), Some(1));
        for _ in 0..20 {
            limits.code_failed(code);
        }
        assert_eq!(limits.code_waits(&code), Some(MAX_BACKOFF_SECONDS));
        assert_eq!(limits.code_waits(&[8u8; 32]), None);
    }

    #[test]
    fn a_forwarded_address_is_believed_only_from_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let mut headers = axum::http::HeaderMap::new();
        headers.insert("x-forwarded-for", "203.0.113.9, 198.51.100.7".parse().unwrap());
        let stranger: IpAddr = "192.0.2.1".parse().unwrap();
        assert_eq!(client_address(stranger, &headers, &[proxy]), stranger, "anyone can write the header");
        assert_eq!(client_address(proxy, &headers, &[proxy]), "198.51.100.7".parse::<IpAddr>().unwrap());
        // The voter wrote the left entry; the nearest untrusted one is what the proxy saw.
        let inner: IpAddr = "198.51.100.7".parse().unwrap();
        assert_eq!(client_address(proxy, &headers, &[proxy, inner]), "203.0.113.9".parse::<IpAddr>().unwrap());
        assert_eq!(client_address(proxy, &axum::http::HeaderMap::new(), &[proxy]), proxy);
    }
}
