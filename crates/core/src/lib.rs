//! # convene-core: the rules
//!
//! Apportionment (`apportion`), amendments and their diffs (`amendment`), the constitution and
//! its decentralization summary (`constitution`), the assembly's vote rules (`majority`), voting
//! power (`power`), ranked votes (`ranked`: Schulze, instant runoff), ratification rules
//! (`ratify`), revenue sharing (`revenue`), dated timelines (`timeline`), exact fractions
//! (`ratio`).
//!
//! Pure and synchronous: it parses rule and result texts it is given and evaluates them. No I/O,
//! no async, no database or HTTP types, no floating point in any decision (every comparison is
//! between exact fractions; floats appear only in the human-readable percentages).

pub mod amendment;
pub mod apportion;
pub mod constitution;
pub mod csv;
pub mod majority;
pub mod power;
pub mod ranked;
pub mod ratify;
pub mod ratio;
pub mod revenue;
pub mod timeline;

pub use ratio::Ratio;
