//! Operations: Prometheus metrics and the sign-in rate limiter.

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

/// A token bucket per client address: `per_minute` attempts, refilled continuously.
pub struct RateLimiter {
    per_minute: f64,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter { per_minute: per_minute.max(1) as f64, buckets: Mutex::new(HashMap::new()) }
    }

    /// Takes one token for `ip`; false if its bucket is empty.
    pub fn allow(&self, ip: IpAddr) -> bool {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() > 100_000 {
            // Forget addresses whose buckets have refilled, so the map cannot grow without bound.
            let full = self.per_minute;
            buckets.retain(|_, (tokens, at)| *tokens + now.duration_since(*at).as_secs_f64() * full / 60.0 < full);
        }
        let (tokens, at) = buckets.entry(ip).or_insert((self.per_minute, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * self.per_minute / 60.0).min(self.per_minute);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limiter_allows_a_burst_then_refuses() {
        let limiter = RateLimiter::new(3);
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        assert!((0..3).all(|_| limiter.allow(ip)));
        assert!(!limiter.allow(ip));
        assert!(limiter.allow("127.0.0.2".parse().unwrap()));
    }
}
