//! The Huế demo city: a deterministic dataset and a live simulator.

pub mod rng;
pub mod texts;
