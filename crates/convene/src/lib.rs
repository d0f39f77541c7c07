//! The `convene` command's library half, kept out of `main.rs` so that tests drive it directly:
//! the HTTP client and the offline tools (registrar, trustees and voters played by
//! [`referendum`]), the demonstration, a server run in-process, and printed reports.

pub mod assembly;
pub mod booth;
pub mod client;
pub mod demo;
pub mod identity;
pub mod loadtest;
pub mod local;
pub mod referendum;
pub mod registrar;
pub mod report;
pub mod settings;
pub mod tiles;
pub mod timeline;
pub mod trustee;
pub mod witnesses;
