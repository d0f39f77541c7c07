//! Convene's languages and their words, for every crate that speaks to people in Rust: the
//! sheets, the convention's refusals and what its events did, and the server's pages.
//!
//! - [`Lang`]: the languages Convene speaks, and which one a tag (`ar-IQ`, `ku-Arab`) or an
//!   `Accept-Language` header asks for. The pages' script reads tags by the same rules, checked
//!   against the same vectors (`test-vectors/language-tags.json`).
//! - [`Catalog`]: one Project Fluent file per language, with CLDR's plural rules (Arabic's six
//!   forms). [`Catalog::new`] refuses a language that lacks a message the English file has, so
//!   a missing translation fails the tests of the crate that holds the files.

#![warn(missing_docs)]

mod catalog;
mod lang;

pub use catalog::{Arg, Catalog};
pub use lang::Lang;
