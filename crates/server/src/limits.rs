//! Sign-in limits (docs/operations.md, "Sign-ins"), and the client address they key on. The
//! limits per client address and per code are counted in the database, so every process of one
//! PostgreSQL sees the same counts; the limit per election guards one process's capacity, and
//! is that process's own.

use convene_store::{Store, StoreError};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

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

/// Failed sign-ins with one code before it waits: a voter may mistype twice.
const FREE_FAILURES: u64 = 3;
/// The longest a code waits after failures.
pub const MAX_BACKOFF_SECONDS: u64 = 300;
/// Counts not touched for this long are forgotten (a code's failures among them).
const FORGET_AFTER_MS: i64 = 3_600_000;

/// The sign-in limits of one server process.
pub struct SigninLimits {
    per_minute: u64,
    per_election: Buckets<String>,
    /// When this process last swept forgotten counts out of the database.
    swept: Mutex<Instant>,
}

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// How long a code waits after its `failures`-th failure: none for the first two, then 1, 2, 4 …
/// seconds, at most [`MAX_BACKOFF_SECONDS`].
fn backoff_ms(failures: u64) -> i64 {
    if failures < FREE_FAILURES {
        return 0;
    }
    let wait = 1u64 << (failures - FREE_FAILURES).min(16);
    wait.min(MAX_BACKOFF_SECONDS) as i64 * 1000
}

impl SigninLimits {
    pub fn new(per_minute: u32, per_election_per_second: u32) -> SigninLimits {
        SigninLimits {
            per_minute: per_minute.max(1) as u64,
            per_election: Buckets::new(per_election_per_second, per_election_per_second as f64),
            swept: Mutex::new(Instant::now()),
        }
    }

    /// Counts a sign-in from `address`: whether it is within the limit per minute, across every
    /// process. A sliding window: this minute's count, plus the last minute's weighted by the part
    /// of it that is still within sixty seconds.
    pub async fn allow_address(&self, store: &dyn Store, address: IpAddr) -> Result<bool, StoreError> {
        let now = now_ms();
        self.sweep(store, now).await?;
        let key = format!("address {address}");
        let (window, into) = (now / 60_000, (now % 60_000) as f64 / 60_000.0);
        let count = store.count_event(&key, window, now).await?;
        let before = store.counted(&key, window - 1).await?.map_or(0, |(n, _)| n);
        Ok(before as f64 * (1.0 - into) + count as f64 <= self.per_minute as f64)
    }

    /// Whether one more sign-in to `election` may be tried now in this process.
    pub fn allow_election(&self, election: &str) -> bool {
        self.per_election.allow(election.to_string())
    }

    /// The seconds `code` (a code hash) must still wait after its failures, if any.
    pub async fn code_waits(&self, store: &dyn Store, code: &[u8; 32]) -> Result<Option<u64>, StoreError> {
        let Some((failures, last)) = store.counted(&code_key(code), 0).await? else { return Ok(None) };
        let left = last + backoff_ms(failures) - now_ms();
        // Rounded up: a voter told to wait 1 s is not refused again after it.
        Ok((left > 0).then(|| (left as u64).div_ceil(1000)))
    }

    /// Records a failed sign-in with `code` (a code hash), for every process.
    pub async fn code_failed(&self, store: &dyn Store, code: &[u8; 32]) -> Result<(), StoreError> {
        store.count_event(&code_key(code), 0, now_ms()).await.map(|_| ())
    }

    /// At most once a minute per process: forgets counts untouched for an hour.
    async fn sweep(&self, store: &dyn Store, now: i64) -> Result<(), StoreError> {
        {
            let mut swept = self.swept.lock().unwrap_or_else(|e| e.into_inner());
            if swept.elapsed().as_secs() < 60 {
                return Ok(());
            }
            *swept = Instant::now();
        }
        store.forget_counts(now - FORGET_AFTER_MS).await
    }
}

fn code_key(code: &[u8; 32]) -> String {
    format!("code {}", convene_crypto::encoding::to_hex(code))
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

    async fn store(dir: &std::path::Path) -> convene_store::SqlStore {
        convene_store::SqlStore::open_sqlite(dir).await.unwrap()
    }

    #[tokio::test]
    async fn an_address_has_its_minute_and_another_is_apart() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path()).await;
        let limits = SigninLimits::new(3, 1000);
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let mut allowed = 0;
        for _ in 0..4 {
            allowed += limits.allow_address(&store, ip).await.unwrap() as u32;
        }
        assert_eq!(allowed, 3);
        assert!(limits.allow_address(&store, "127.0.0.2".parse().unwrap()).await.unwrap());
    }

    #[tokio::test]
    async fn a_code_waits_longer_after_each_failure_from_the_third_in_every_process() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path()).await;
        // Two processes' limits on one database.
        let (one, other) = (SigninLimits::new(3, 1000), SigninLimits::new(3, 1000));
        let code = [7u8; 32];
        one.code_failed(&store, &code).await.unwrap();
        other.code_failed(&store, &code).await.unwrap();
        assert_eq!(one.code_waits(&store, &code).await.unwrap(), None, "two typos cost nothing");
        one.code_failed(&store, &code).await.unwrap();
        assert_eq!(other.code_waits(&store, &code).await.unwrap(), Some(1));
        for _ in 0..20 {
            other.code_failed(&store, &code).await.unwrap();
        }
        assert_eq!(one.code_waits(&store, &code).await.unwrap(), Some(MAX_BACKOFF_SECONDS));
        assert_eq!(one.code_waits(&store, &[8u8; 32]).await.unwrap(), None);
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
