//! The `iocdesk` binary.
fn main() {}
