//! Incident Map: turns news articles about the war in Mali into located, sourced incidents.
//! `engine` is pure (text in, values out); `io` reads files and writes outputs; `ui` is the
//! desktop app.

pub mod engine;
pub mod io;
pub mod palette;
pub mod samples;
pub mod ui;
