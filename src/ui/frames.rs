//! Waiting for the browser: its next task, a message to this page, or the next frame
//! painted, so long work can be spread between frames.

use wasm_bindgen::JsCast;

/// Gives the browser the main thread for a moment (a message to this page, which no
/// browser delays the way it delays a chain of zero timeouts).
pub async fn yield_now() {
    let Ok(channel) = web_sys::MessageChannel::new() else {
        return next_task().await;
    };
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        channel.port1().set_onmessage(Some(resolve.unchecked_ref()));
        let _ = channel
            .port2()
            .post_message(&wasm_bindgen::JsValue::UNDEFINED);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    // A port with a listener is kept alive until it is closed.
    channel.port1().close();
    channel.port2().close();
}

/// Waits for the next task, so events and painting queued meanwhile run first.
pub async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window
                .set_timeout_with_callback_and_timeout_and_arguments_0(resolve.unchecked_ref(), 0);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Waits until the next frame has been painted: an animation frame runs just before the
/// browser draws, and a message sent from it arrives after.
pub async fn after_next_paint() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let Some(window) = web_sys::window() else {
            let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
            return;
        };
        if window
            .request_animation_frame(resolve.unchecked_ref())
            .is_err()
        {
            let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    yield_now().await;
}
