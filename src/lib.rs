//! iocdesk: a terminal-first operator console for a city Intelligent Operations Center.
//!
//! Layers, dependencies pointing one way: [`domain`] ← `store` ← `ioc`; the front ends (`cli`,
//! `tui`, `server`) see only `ioc` and `domain`.

pub mod cli;
pub mod demo;
pub mod domain;
pub mod ioc;
pub mod logging;
pub mod prober;
pub mod server;
pub mod settings;
pub mod store;
pub mod triage;
pub mod tui;
pub mod watch;
