//! The `convene` command's library half: the demonstration referendum and the verifier's
//! printed report, kept out of `main.rs` so that tests drive them directly.

pub mod demo;
pub mod report;
