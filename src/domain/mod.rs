//! Pure rules and types of the IOC: no I/O, no tokio, no SQL, no terminal.

pub mod text;
