//! The answers of the public and voting endpoints, as types the server writes and the Rust
//! client reads (`docs/openapi.json`, `components.schemas`, gives the same shapes; a test holds
//! a real server's answers to them). Fields are in the order the JSON shows them.

use convene_record::format::Manifest;
use serde::{Deserialize, Serialize};

/// An election (or a convention) in a list: `GET /api/elections`, `GET /api/conventions`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    pub id: String,
    /// Its phase (`convene_store::Phase` for a referendum; `sitting` or `ratified` for a convention).
    pub phase: String,
    pub title: String,
}

/// `GET /api/elections`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ElectionList {
    pub elections: Vec<Listed>,
}

/// `GET /api/conventions`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ConventionList {
    pub conventions: Vec<Listed>,
}

/// `GET /api/elections/ID`.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct ElectionShown {
    /// The election's base hash, once its key ceremony is finished.
    pub base_hash: Option<String>,
    pub id: String,
    pub log_size: u64,
    pub manifest: Manifest,
    pub phase: String,
}

/// `POST /api/elections/ID/signin`: a voter's session.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// The credential the code was issued for (hex).
    pub credential: String,
    /// When the session ends (POSIX seconds).
    pub expires: u64,
    /// The voter's region, so that the booth need not read the whole credential list.
    pub region: Option<String>,
    /// The bearer token for `POST /ballots`.
    pub session: String,
}

/// `GET /api/elections/ID/consistency?from=M&to=N`: an RFC 9162 consistency proof (hex).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Consistency {
    pub from: u64,
    pub proof: Vec<String>,
    pub to: u64,
}

/// One entry of a page of the log: `E` is the entry's JSON (the server passes the stored line
/// through as it is).
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct LogItem<E> {
    pub entry: E,
    pub index: u64,
    /// The entry's leaf hash (hex).
    pub tracking_code: String,
}

/// `GET /api/elections/ID/log?from=K&limit=L` (and a convention's): `next` is the index to ask
/// for next, or `null` when the page was empty.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct LogPage<E> {
    pub entries: Vec<LogItem<E>>,
    pub next: Option<u64>,
    pub size: u64,
}
