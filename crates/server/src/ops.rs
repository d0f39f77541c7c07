//! Operations: Prometheus metrics, and the sign-in limits with the client address they key on.

use std::collections::HashMap;
use std::fmt::Write;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

#[derive(Default)]
pub struct Metrics {
    pub ballots_accepted: AtomicU64,
    pub ballots_rejected: AtomicU64,
    pub spoiled_accepted: AtomicU64,
    pub signins: AtomicU64,
    pub signins_rejected: AtomicU64,
    pub signins_rate_limited: AtomicU64,
    /// Total time from a cast request's arrival to its durable acknowledgement, in microseconds.
    pub cast_micros: AtomicU64,
    /// Checkpoints sent to the witnesses, the time until their quorum cosigned (microseconds,
    /// summed), and the rounds that timed out without it.
    pub witness_rounds: AtomicU64,
    pub witness_micros: AtomicU64,
    pub witness_failures: AtomicU64,
    /// Connections closed on arrival because the cap was reached.
    pub connections_refused: AtomicU64,
}

impl Metrics {
    pub fn inc(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The Prometheus text exposition format.
    pub fn render(&self, backend: &str) -> String {
        let mut out = String::new();
        let mut counter = |name: &str, help: &str, value: &AtomicU64| {
            let _ =
                writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}", value.load(Ordering::Relaxed));
        };
        counter("convene_ballots_accepted_total", "Cast ballots durably committed.", &self.ballots_accepted);
        counter(
            "convene_spoiled_accepted_total",
            "Challenged (spoiled) ballots durably committed.",
            &self.spoiled_accepted,
        );
        counter("convene_ballots_rejected_total", "Ballots refused at the door.", &self.ballots_rejected);
        counter("convene_signins_total", "Successful voter sign-ins.", &self.signins);
        counter("convene_signins_rejected_total", "Sign-ins with an unknown or spent code.", &self.signins_rejected);
        counter(
            "convene_signins_rate_limited_total",
            "Sign-ins refused by the rate limit.",
            &self.signins_rate_limited,
        );
        counter(
            "convene_cast_seconds_micros_total",
            "Microseconds spent casting, arrival to acknowledgement.",
            &self.cast_micros,
        );
        counter("convene_witness_rounds_total", "Checkpoints sent to the witnesses.", &self.witness_rounds);
        counter(
            "convene_witness_micros_total",
            "Microseconds from signing a checkpoint to its witnesses' quorum, summed over rounds.",
            &self.witness_micros,
        );
        counter(
            "convene_witness_failures_total",
            "Checkpoints that did not reach the witnesses' quorum in time.",
            &self.witness_failures,
        );
        counter(
            "convene_connections_refused_total",
            "Connections closed on arrival because the server had its most open connections.",
            &self.connections_refused,
        );
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
        (!left.is_zero()).then(|| left.as_secs().max(1))
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
