//! Senco Desk never runs inside another page's frame, where that page could cover or
//! disguise it and lead someone into pressing its buttons. Framed, it opens nothing (no
//! unlock form, nothing read from storage) and offers a link that opens it on its own.

use super::shell::set_title;
use leptos::prelude::*;

/// True unless this window is the top of its tab (also when the browser cannot say).
pub fn is_framed(window: &web_sys::Window) -> bool {
    match window.top() {
        Ok(Some(top)) => !js_sys::Object::is(&top, window),
        _ => true,
    }
}

#[component]
pub fn OpenDirectly() -> impl IntoView {
    set_title("Open Senco Desk in a tab of its own");
    let here = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    view! {
        <main id="main" class="framed">
            <h1>"Open Senco Desk in a tab of its own"</h1>
            <p>
                "Senco Desk does not run inside another web page, so that no other site can \
                 disguise it or lead anyone into using it. Nothing has been opened here."
            </p>
            <p><a href=here target="_top">"Open Senco Desk directly"</a></p>
        </main>
    }
}
