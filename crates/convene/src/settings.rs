//! `convene serve`'s settings: built-in defaults, then a TOML file (`--config`), then `CONVENE_*`
//! variables and flags (clap reads both; a flag wins; `cli` layers them with `over`). The effective settings are printed at
//! start, the database password hidden.

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The largest credential upload a server may be set to accept, in MiB: the stored list is one
/// PostgreSQL `bytea` value, at most 1 GiB.
pub const MAX_CREDENTIALS_MIB: u64 = 1000;

/// Every setting, as the file writes it and as the server prints it.
#[derive(Serialize, Deserialize, Clone, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct ServeSettings {
    pub data: Option<PathBuf>,
    pub database: Option<String>,
    pub addr: Option<String>,
    pub signin_per_minute: Option<u32>,
    pub signin_per_election_per_second: Option<u32>,
    #[serde(default)]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    pub max_connections: Option<usize>,
    pub header_timeout_seconds: Option<u64>,
    pub shutdown_grace_seconds: Option<u64>,
    pub max_credentials_mib: Option<u64>,
    pub log: Option<String>,
}

impl ServeSettings {
    /// These settings over `lower`: each one set here wins, the rest come from `lower`.
    pub fn over(self, lower: ServeSettings) -> ServeSettings {
        ServeSettings {
            data: self.data.or(lower.data),
            database: self.database.or(lower.database),
            addr: self.addr.or(lower.addr),
            signin_per_minute: self.signin_per_minute.or(lower.signin_per_minute),
            signin_per_election_per_second: self
                .signin_per_election_per_second
                .or(lower.signin_per_election_per_second),
            trusted_proxies: if self.trusted_proxies.is_empty() { lower.trusted_proxies } else { self.trusted_proxies },
            max_connections: self.max_connections.or(lower.max_connections),
            header_timeout_seconds: self.header_timeout_seconds.or(lower.header_timeout_seconds),
            shutdown_grace_seconds: self.shutdown_grace_seconds.or(lower.shutdown_grace_seconds),
            max_credentials_mib: self.max_credentials_mib.or(lower.max_credentials_mib),
            log: self.log.or(lower.log),
        }
    }

    /// The built-in defaults, every setting named.
    pub fn defaults() -> ServeSettings {
        let limits = convene_server::ConnectionLimits::default();
        ServeSettings {
            data: Some("convene-data".into()),
            database: None,
            addr: Some("127.0.0.1:8080".into()),
            signin_per_minute: Some(30),
            signin_per_election_per_second: Some(20_000),
            trusted_proxies: Vec::new(),
            max_connections: Some(limits.max_connections),
            header_timeout_seconds: Some(limits.header_timeout.as_secs()),
            shutdown_grace_seconds: Some(limits.shutdown_grace.as_secs()),
            max_credentials_mib: Some((convene_server::Config::new(String::new()).max_credentials_bytes >> 20) as u64),
            log: Some("text".into()),
        }
    }

    /// The settings file at `path`.
    pub fn read(path: &Path) -> Result<ServeSettings> {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        ServeSettings::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
    }

    /// A settings file's text (untrusted: a clear refusal, never a panic).
    pub fn parse(text: &str) -> std::result::Result<ServeSettings, String> {
        let settings: ServeSettings = toml::from_str(text)
            .map_err(|e| format!("not a settings file `convene serve --help` describes: {}", e.message()))?;
        if settings.max_credentials_mib.is_some_and(|m| !(1..=MAX_CREDENTIALS_MIB).contains(&m)) {
            return Err(format!("max_credentials_mib is from 1 to {MAX_CREDENTIALS_MIB}"));
        }
        if settings.log.as_deref().is_some_and(|l| l != "text" && l != "json") {
            return Err("log is \"text\" or \"json\"".into());
        }
        Ok(settings)
    }

    /// The settings as TOML, with the database URL's password replaced by `***`.
    pub fn describe(&self) -> String {
        let mut shown = self.clone();
        shown.database = shown.database.as_deref().map(hide_password);
        toml::to_string(&shown).unwrap_or_default()
    }

    pub fn data(&self) -> PathBuf {
        self.data.clone().unwrap_or_else(|| "convene-data".into())
    }

    pub fn addr(&self) -> String {
        self.addr.clone().unwrap_or_else(|| "127.0.0.1:8080".into())
    }

    /// Writes these settings into the server's `config`.
    pub fn apply(&self, config: &mut convene_server::Config) {
        let defaults = convene_server::ConnectionLimits::default();
        config.signin_per_minute = self.signin_per_minute.unwrap_or(config.signin_per_minute);
        config.signin_per_election_per_second =
            self.signin_per_election_per_second.unwrap_or(config.signin_per_election_per_second);
        config.trusted_proxies = self.trusted_proxies.clone();
        if let Some(mib) = self.max_credentials_mib {
            config.max_credentials_bytes = (mib as usize) << 20;
        }
        config.connections = convene_server::ConnectionLimits {
            max_connections: self.max_connections.unwrap_or(defaults.max_connections),
            header_timeout: self.header_timeout_seconds.map_or(defaults.header_timeout, Duration::from_secs),
            shutdown_grace: self.shutdown_grace_seconds.map_or(defaults.shutdown_grace, Duration::from_secs),
        };
    }
}

/// `postgres://user:secret@host/db` as `postgres://user:***@host/db`.
pub fn hide_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let Some((credentials, host)) = rest.rsplit_once('@') else { return url.to_string() };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_credential_upload_limit_is_set_in_mib_within_what_postgresql_stores() {
        let mut config = convene_server::Config::new(String::new());
        assert_eq!(ServeSettings::defaults().max_credentials_mib, Some(512));
        ServeSettings::parse("max_credentials_mib = 800").unwrap().apply(&mut config);
        assert_eq!(config.max_credentials_bytes, 800 << 20);
        for bad in ["max_credentials_mib = 0", "max_credentials_mib = 1001", "max_credentials_mib = -1"] {
            assert!(ServeSettings::parse(bad).is_err(), "{bad}");
        }
        // Unset, the server's own default stays.
        let mut config = convene_server::Config::new(String::new());
        ServeSettings::default().apply(&mut config);
        assert_eq!(config.max_credentials_bytes, 512 << 20);
        assert!(ServeSettings::defaults().describe().contains("max_credentials_mib = 512"));
    }

    #[test]
    fn a_password_is_never_printed() {
        assert_eq!(
            hide_password("postgres://convene:s3cret@db:5432/convene"),
            "postgres://convene:***@db:5432/convene"
        );
        assert_eq!(hide_password("postgres://convene@db/convene"), "postgres://convene@db/convene");
    }
}
