//! A crash must not leave records on screen. The panic hook arms a small JavaScript timer
//! (crash_lock.js) that clears and reloads the page after the auto-lock time without use, or
//! when another tab is locked, because after a panic no Rust code runs.

use super::tabs::{LOCK_CHANNEL, LOCK_MESSAGE};
use std::cell::Cell;
use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(module = "/src/ui/crash_lock.js")]
extern "C" {
    #[wasm_bindgen(js_name = lockAfterCrash, catch)]
    fn lock_after_crash(
        idle_ms: f64,
        lock_channel: &str,
        lock_message: &str,
    ) -> Result<(), wasm_bindgen::JsValue>;
}

thread_local! {
    /// The desk's auto-lock time while it is unlocked; None while locked. A plain cell, so
    /// the panic hook can read it even when the panic left the app's state half-changed.
    static AUTO_LOCK_MINUTES: Cell<Option<u32>> = const { Cell::new(None) };
    static CRASHED: Cell<bool> = const { Cell::new(false) };
}

/// Kept up to date by auto-lock whenever the desk is unlocked, locked or its setting changes.
pub fn remember_auto_lock(minutes: Option<u32>) {
    AUTO_LOCK_MINUTES.with(|cell| cell.set(minutes));
}

/// Called by the panic hook: the page clears itself and reloads after the auto-lock time
/// without use, or at once if the desk was locked.
pub fn arm() {
    CRASHED.with(|crashed| crashed.set(true));
    let minutes = AUTO_LOCK_MINUTES.with(Cell::get);
    let idle_ms = minutes.map_or(0.0, |m| f64::from(m) * 60_000.0);
    // Nothing more can be done if it fails; the hook still reports the panic.
    let _ = lock_after_crash(idle_ms, LOCK_CHANNEL, LOCK_MESSAGE);
}

/// After a crash the app's state may be half-changed: Rust's own timers leave locking to
/// the armed lock.
pub fn has_crashed() -> bool {
    CRASHED.with(Cell::get)
}
