//! Pure rules and types of the IOC: no I/O, no tokio, no SQL, no terminal.

pub mod calendar;
pub mod lunar;
pub mod text;
