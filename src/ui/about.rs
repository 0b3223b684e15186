//! About Senco Desk: its version, where to serve it, and what its safety promises are
//! (each true of the code; README's "Security" section says the same at more length).
//! One section per topic.

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
        <section aria-labelledby="about-plain-text">
            <h2 id="about-plain-text">"What is kept in plain text"</h2>
            <p>"Everything about a pupil or a person is encrypted (AES-256-GCM, under a key that only the passphrase or the recovery key unlocks). Without one of them, someone who copies this browser's storage can read only: when the desk was made and how its keys are protected; the name of each stored record, which includes each pupil's random record number, so the number of pupils shows; and how large each record is; that some form has unsaved text, kept encrypted; and whether the register's extra filters were left open. For the open tab only: why it last locked and which page to return to (its address holds record numbers, never a name). A backup file shows the same as the desk, and its file name holds the school's name and the date."</p>
            <p>"Page titles and addresses name the screen, never a pupil, and fields keep no form history, so the browser's own history holds no names."</p>
        </section>
        <section aria-labelledby="about-lock">
            <h2 id="about-lock">"What Lock does"</h2>
            <p>"Lock, in any tab, locks every tab of the desk in this browser. It drops the unlocked desk, overwriting its key and its records, keeps any unsaved form text as an encrypted draft, and reloads the page, so nothing of the desk stays in the app's memory. Only when storage is full, and a draft cannot be kept, does the tab stay as it is, holding the encrypted draft in its memory, and it says so. The desk also locks itself after the time without use set in Settings (a warning with Stay unlocked comes a minute before), and if the app ever stops with an error, the page clears itself and reloads after that time."</p>
        </section>
        <section aria-labelledby="about-backups">
            <h2 id="about-backups">"Backups, merging and restoring"</h2>
            <p>"Merging a backup keeps everything either copy recorded: histories, concerns and decisions, notes, contacts, plans, reviews and the change history. Where a detail such as a class differs, the later edit of it is kept, and both values are shown first. Only records deleted on purpose on one copy (a removed contact, a deleted draft plan, an erased pupil) are deleted on the other, and each is listed before anything is written."</p>
            <p>"A desk restored from a backup in a new browser gets a key of its own, the passphrase you choose and a new recovery key: nothing else that opened the file opens the desk."</p>
        </section>
        <section aria-labelledby="about-secrets">
            <h2 id="about-secrets">"Changing the passphrase or the recovery key"</h2>
            <p>"After a change the old passphrase or recovery key no longer unlocks this desk, and every record is re-sealed with a new key, so someone holding an older backup and the old secret can read nothing saved since, nor any later backup. Backups made before the change still open with the old secret: after a change, make a new backup and destroy the older copies."</p>
        </section>
        <section aria-labelledby="about-erasing">
            <h2 id="about-erasing">"Erasing a pupil"</h2>
            <p>"Erasing removes every record of a pupil from this browser. The desk keeps only a one-way mark of their random record number, so that no older backup merged or restored here brings them back. Backup files made before still hold the pupil until they are destroyed."</p>
        </section>
        <p><a href=app.href("/")>"Back to Senco Desk"</a></p>
    }
}
