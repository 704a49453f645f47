//! The Huế demo city: a deterministic dataset and a live simulator.

pub mod cameras;
pub mod live;
pub mod rng;
pub mod seed;
pub mod texts;
