//! Incident Map: turns news articles about the war in Mali into located, sourced incidents.
//! `engine` is pure (text in, values out); `io` reads files and writes outputs; `ui` is the
//! desktop app (feature `app`, on by default; without it the crate is the engine and its IO).

pub mod engine;
pub mod io;
pub mod palette;
pub mod samples;
#[cfg(feature = "app")]
pub mod ui;
