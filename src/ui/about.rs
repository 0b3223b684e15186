//! About Senco Desk: its version and where to serve it. One section per topic.

use super::shell::set_title;
use super::state::use_app;
use leptos::prelude::*;

/// The version in Cargo.toml when the app was built.
const VERSION: &str = env!("CARGO_PKG_VERSION");

#[component]
pub fn About() -> impl IntoView {
    let app = use_app();
    set_title("About");
    view! {
        <h1 tabindex="-1">"About Senco Desk"</h1>
        <section aria-labelledby="about-version">
            <h2 id="about-version">"Version"</h2>
            <p>"This is Senco Desk version " {VERSION} "."</p>
        </section>
        <section aria-labelledby="about-serving">
            <h2 id="about-serving">"Where to serve Senco Desk"</h2>
            <p>
                "Serve Senco Desk from a web address of its own: its own subdomain, such as "
                <code>"senco.example-school.org.uk"</code>", with nothing else on it. Never put \
                 it in a folder of a site shared with anything else, such as the school's main \
                 website, or a "<code>"user.github.io"</code>" site shared with other \
                 repositories."
            </p>
            <p>
                "The browser keeps each origin (the scheme, host and port of an address, such as "
                <code>"https://senco.example-school.org.uk"</code>") apart from every other, \
                 and that is the only wall the browser puts around the records. Any other page on the same origin \
                 can read the desk's sealed store, and a page on another origin could show Senco \
                 Desk inside a frame of its own, to disguise it. Senco Desk refuses to run in a \
                 frame."
            </p>
            <p>
                "Senco Desk comes with the settings a web host needs to send the right headers \
                 (which, among other things, forbid framing): "<code>"_headers"</code>" for \
                 Netlify and Cloudflare Pages, "<code>".htaccess"</code>" for Apache, and "
                <code>"docs/deploy/nginx.conf"</code>" for nginx."
            </p>
        </section>
        <p><a href=app.href("/")>"Back to Senco Desk"</a></p>
    }
}
