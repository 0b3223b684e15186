//! Performance marks the benchmark reads (performance.getEntriesByName).

/// Runs `f` between two marks and records a measure named `name`.
pub fn measure<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let performance = web_sys::window().and_then(|w| w.performance());
    let start = format!("{name}:start");
    if let Some(p) = &performance {
        let _ = p.mark(&start);
    }
    let result = f();
    if let Some(p) = &performance {
        let _ = p.measure_with_start_mark(name, &start);
    }
    result
}

/// Marks a moment, such as the unlock screen being ready.
pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// Starts a measure that ends with [`end`], across awaits (a save and its commit).
pub fn start(name: &str) {
    mark(&format!("{name}:start"));
}

/// Ends a measure begun with [`start`].
pub fn end(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.measure_with_start_mark(name, &format!("{name}:start"));
    }
}
