//! Senco Desk: the SENCO's encrypted, offline desk.
//!
//! Layers point one way: `domain` (plain types and rules) ← `vault` (crypto and formats)
//! ← `store` (persistence) ← `ui` (Leptos). Everything below `ui` is native-testable.

pub mod backup;
pub mod domain;
pub mod io;
pub mod store;
pub mod vault;

#[cfg(target_arch = "wasm32")]
pub mod ui;

#[cfg(test)]
mod test_support;
