//! Starts the app in the browser. On other targets there is nothing to run: the native
//! build exists for the tests and tools.

#[cfg(target_arch = "wasm32")]
fn main() {
    senco_desk::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
