//! `convene serve`'s settings: built-in defaults, then a TOML file (`--config`), then `CONVENE_*`
//! variables and flags (clap reads both; a flag wins). The effective settings are printed at
//! start, the database password hidden.

use super::flags::ServeArgs;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Every setting, as the file writes it and as the server prints it.
#[derive(Serialize, Deserialize, Clone, Debug, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct ServeSettings {
    pub(crate) data: Option<PathBuf>,
    pub(crate) database: Option<String>,
    pub(crate) addr: Option<String>,
    pub(crate) signin_per_minute: Option<u32>,
    pub(crate) signin_per_election_per_second: Option<u32>,
    #[serde(default)]
    pub(crate) trusted_proxies: Vec<std::net::IpAddr>,
    pub(crate) max_connections: Option<usize>,
    pub(crate) header_timeout_seconds: Option<u64>,
    pub(crate) shutdown_grace_seconds: Option<u64>,
    pub(crate) log: Option<String>,
}

impl ServeSettings {
    /// The settings `args` give over those of their `--config` file, over the defaults.
    pub(crate) fn resolve(args: &ServeArgs) -> Result<ServeSettings> {
        let file = match &args.config {
            Some(path) => ServeSettings::read(path)?,
            None => ServeSettings::default(),
        };
        let defaults = convene_server::ConnectionLimits::default();
        Ok(ServeSettings {
            data: args.data.clone().or(file.data).or_else(|| Some("convene-data".into())),
            database: args.database.clone().or(file.database),
            addr: args.addr.clone().or(file.addr).or_else(|| Some("127.0.0.1:8080".into())),
            signin_per_minute: args.signin_per_minute.or(file.signin_per_minute).or(Some(30)),
            signin_per_election_per_second: args
                .signin_per_election_per_second
                .or(file.signin_per_election_per_second)
                .or(Some(20_000)),
            trusted_proxies: if args.trusted_proxies.is_empty() {
                file.trusted_proxies
            } else {
                args.trusted_proxies.clone()
            },
            max_connections: args.max_connections.or(file.max_connections).or(Some(defaults.max_connections)),
            header_timeout_seconds: args
                .header_timeout_seconds
                .or(file.header_timeout_seconds)
                .or(Some(defaults.header_timeout.as_secs())),
            shutdown_grace_seconds: args
                .shutdown_grace_seconds
                .or(file.shutdown_grace_seconds)
                .or(Some(defaults.shutdown_grace.as_secs())),
            log: args.log.clone().or(file.log).or_else(|| Some("text".into())),
        })
    }

    fn read(path: &Path) -> Result<ServeSettings> {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        let settings: ServeSettings = toml::from_str(&text)
            .with_context(|| format!("{} is not a settings file `convene serve --help` describes", path.display()))?;
        if settings.log.as_deref().is_some_and(|l| l != "text" && l != "json") {
            anyhow::bail!("{}: log is \"text\" or \"json\"", path.display());
        }
        Ok(settings)
    }

    /// The settings as TOML, with the database URL's password replaced by `***`.
    pub(crate) fn describe(&self) -> String {
        let mut shown = self.clone();
        shown.database = shown.database.as_deref().map(hide_password);
        toml::to_string(&shown).unwrap_or_default()
    }

    pub(crate) fn data(&self) -> PathBuf {
        self.data.clone().unwrap_or_else(|| "convene-data".into())
    }

    pub(crate) fn addr(&self) -> String {
        self.addr.clone().unwrap_or_else(|| "127.0.0.1:8080".into())
    }

    /// Writes these settings into the server's `config`.
    pub(crate) fn apply(&self, config: &mut convene_server::Config) {
        let defaults = convene_server::ConnectionLimits::default();
        config.signin_per_minute = self.signin_per_minute.unwrap_or(config.signin_per_minute);
        config.signin_per_election_per_second =
            self.signin_per_election_per_second.unwrap_or(config.signin_per_election_per_second);
        config.trusted_proxies = self.trusted_proxies.clone();
        config.connections = convene_server::ConnectionLimits {
            max_connections: self.max_connections.unwrap_or(defaults.max_connections),
            header_timeout: self.header_timeout_seconds.map_or(defaults.header_timeout, Duration::from_secs),
            shutdown_grace: self.shutdown_grace_seconds.map_or(defaults.shutdown_grace, Duration::from_secs),
        };
    }
}

/// `postgres://user:secret@host/db` as `postgres://user:***@host/db`.
fn hide_password(url: &str) -> String {
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
    fn a_password_is_never_printed() {
        assert_eq!(
            hide_password("postgres://convene:s3cret@db:5432/convene"),
            "postgres://convene:***@db:5432/convene"
        );
        assert_eq!(hide_password("postgres://convene@db/convene"), "postgres://convene@db/convene");
    }
}
