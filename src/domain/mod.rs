//! Pure rules and types of the IOC: no I/O, no tokio, no SQL, no terminal.

pub mod calendar;
pub mod catalog;
pub mod command;
pub mod digest;
pub mod event;
pub mod health;
pub mod lifecycle;
pub mod lunar;
pub mod model;
pub mod plate;
pub mod query;
pub mod raise;
pub mod report_json;
pub mod routing;
pub mod sli;
pub mod text;

pub use command::{Command, Envelope, NewCamera, NewReport};
pub use event::{Event, EventData, Suggestion};
pub use lifecycle::{Context, DomainError, View};
pub use model::*;
