//! The page frame: skip link, header with school name and navigation, the lock button,
//! the notice area, and focus moved to each new page's heading.

use super::state::{use_app, NoticeKind};
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use wasm_bindgen::JsCast;

#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let app = use_app();
    let location = use_location();
    let school = move || {
        app.session
            .with(|s| s.as_ref().map(|o| o.desk.settings.school_name.clone()))
    };

    // A new page: move focus to its heading so screen readers announce where they are.
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        let quiet = app.quiet_navigation.get_value();
        app.quiet_navigation.set_value(false);
        if previous.is_some() && previous.as_deref() != Some(path.as_str()) && !quiet {
            request_animation_frame(focus_heading);
        }
        path
    });

    let lock = move |_| app.lock_every_tab();

    view! {
        <a class="skip-link" href="#main">"Skip to main content"</a>
        <header class="app-header">
            <div class="app-header__inner">
                <p class="app-name">
                    "Senco Desk"
                    {move || school().map(|name| view! { <span class="school-name">{name}</span> })}
                </p>
                <Show when=move || app.is_unlocked()>
                    <super::find_pupil::FindPupil/>
                    <nav aria-label="Main">
                        <ul class="nav-list">
                            <li>{nav_link("/", "Home")}</li>
                            <li>{nav_link("/pupils", "Pupils")}</li>
                            <li>{nav_link("/provisions", "Provision")}</li>
                            <li>{nav_link("/ehc", "EHC")}</li>
                            <li>{nav_link("/backups", "Backups")}</li>
                            <li>{nav_link("/settings", "Settings")}</li>
                        </ul>
                    </nav>
                    <button type="button" class="button button--secondary" on:click=lock>
                        "Lock"
                    </button>
                </Show>
            </div>
        </header>
        <main id="main" tabindex="-1">
            <RecoveryKeyReminder/>
            <super::integrity::IntegrityReminder/>
            <NoticeArea/>
            {children()}
        </main>
        <footer class="app-footer">
            <p>"Everything is encrypted and kept in this browser only. Your backup file is the copy of record."</p>
            <p><a href=app.href("/about")>"About Senco Desk"</a></p>
        </footer>
    }
}

/// On every page of a desk whose recovery key nobody has confirmed keeping: says so, with
/// the way to finish (the key again, while this tab still holds it, or a new one from
/// Settings once it is gone: after a reload or a lock).
#[component]
fn RecoveryKeyReminder() -> impl IntoView {
    let app = use_app();
    let location = use_location();
    let on_the_step = move || {
        let here = location.pathname.get();
        let here = here.trim_end_matches('/');
        here == app.href("/create") || here == app.href("/restore")
    };
    view! {
        <Show when=move || app.recovery_key_unconfirmed() && !on_the_step()>
            <section class="notice notice--warning recovery-reminder" aria-labelledby="recovery-reminder-title">
                <p><strong id="recovery-reminder-title">"This desk has no confirmed recovery key"</strong></p>
                <p>"If the passphrase is forgotten, the recovery key is the only other way to open the records."</p>
                {move || if app.pending_recovery.with(Option::is_some) {
                    view! {
                        <p><a href=app.href("/create")>"Finish: keep the recovery key and confirm it"</a></p>
                    }.into_any()
                } else {
                    view! {
                        <p>
                            "The key shown when it was made is no longer on screen. "
                            <a href=app.href("/settings")>"Finish: make a new recovery key in Settings"</a>
                        </p>
                    }.into_any()
                }}
            </section>
        </Show>
    }
}

/// The app-wide message, in a live region so it is read out when it appears.
#[component]
fn NoticeArea() -> impl IntoView {
    let app = use_app();
    // Storage is full: the first thing to do is keep a copy of everything.
    let download = move |_| {
        let message = super::backups::download_desk_backup(app);
        app.notice.set(Some(match message {
            Ok(text) => super::state::Notice::info(text),
            Err(text) => super::state::Notice::error(text),
        }));
    };
    view! {
        <div class="notice-area" role="status" aria-live="polite" aria-atomic="true">
            {move || app.notice.get().map(|notice| {
                let class = match notice.kind {
                    NoticeKind::Info => "notice notice--info",
                    NoticeKind::Error => "notice notice--error",
                };
                view! {
                    <div class=class>
                        <p>{notice.text}</p>
                        {notice.offer_backup.then(|| {
                            // Made at once and small, this backup holds the records only:
                            // said plainly where the desk has files it leaves out.
                            let has_files = app.session.with_untracked(|s| {
                                s.as_ref().is_some_and(|open| !open.desk.attachment_ids().is_empty())
                            });
                            view! {
                                {has_files.then(|| view! {
                                    <p>"This backup holds the records only. The attached files stay in this browser: once space is freed, make a backup with the attached files on the Backups page."</p>
                                })}
                                <button type="button" class="button" on:click=download>
                                    {if has_files { "Download backup of the records" } else { "Download backup" }}
                                </button>
                            }
                        })}
                        <button type="button" class="button button--link"
                            on:click=move |_| app.notice.set(None)>
                            "Dismiss message"
                        </button>
                    </div>
                }
            })}
        </div>
    }
}

/// A main navigation link, marked as the current page where it is. A plain link: the
/// router handles clicks on any same-site link.
fn nav_link(path: &'static str, label: &'static str) -> impl IntoView {
    let app = use_app();
    let location = use_location();
    let href = app.href(path);
    let target = href.clone();
    let current = move || {
        let here = location.pathname.get();
        let here = here.trim_end_matches('/');
        (here == target.trim_end_matches('/')).then_some("page")
    };
    // A message belongs to the page it was raised on: leaving by the menu clears it.
    let leave = move |_| app.notice.set(None);
    view! { <a href=href aria-current=current on:click=leave>{label}</a> }
}

pub fn focus_heading() {
    let heading = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("main h1").ok().flatten())
        .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(heading) = heading {
        let _ = heading.focus();
    }
}

/// Sets the document title, so each page is named in the tab and to screen readers. It
/// names the screen only: the browser keeps titles in its history (and may sync them to
/// the user's account), so a pupil's name must never be in one. A `&'static str` cannot
/// carry a name typed into the desk.
pub fn set_title(page: &'static str) {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(&format!("{page} \u{2013} Senco Desk"));
    }
}

/// Shows `children` only on an unlocked desk; otherwise sends the user to unlock, and
/// unlocking brings them back here (the address holds record ids only).
/// Only pages that read nothing but pupils' summaries (the register, home) set
/// `summaries_enough`; any other page first opens every full file still opening.
#[component]
pub fn Unlocked(children: ChildrenFn, #[prop(optional)] summaries_enough: bool) -> impl IntoView {
    let app = use_app();
    let unlock = move || app.href(&super::drafts::to_unlock(&super::drafts::current_page(app)));
    view! {
        <Show
            when=move || app.is_unlocked()
            fallback=move || view! { <GoTo path=unlock()/> }
        >
            {
                if !summaries_enough {
                    super::opening::finish_now(app);
                }
                children()
            }
        </Show>
    }
}

/// Sends the user elsewhere, replacing this page in the history (like a redirect).
#[component]
pub fn GoTo(path: String) -> impl IntoView {
    let app = use_app();
    let navigate = leptos_router::hooks::use_navigate();
    app.quiet_navigation.set_value(true);
    request_animation_frame(move || {
        navigate(
            &path,
            leptos_router::NavigateOptions {
                replace: true,
                ..Default::default()
            },
        )
    });
}

#[component]
pub fn NotFound() -> impl IntoView {
    let app = use_app();
    set_title("Page not found");
    view! {
        <h1 tabindex="-1">"Page not found"</h1>
        <p>
            "There is no page at this address. "
            <a href=app.href("/")>"Go to the home page"</a>
        </p>
    }
}

/// A bug stopped the app: say so plainly at the top of the page (saved records are safe:
/// every save is all-or-nothing), arm the lock that clears the page after the auto-lock time,
/// then stop with the details in the browser's console.
pub fn report_crash(details: &str) -> ! {
    // Later panics (a handler meeting state the first one left half-changed) add nothing.
    if !super::crash_lock::has_crashed() {
        show_crash_message();
        super::crash_lock::arm();
    }
    wasm_bindgen::throw_str(details)
}

fn show_crash_message() {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        if let (Ok(alert), Some(body)) = (document.create_element("div"), document.body()) {
            alert.set_class_name("notice notice--error crash");
            let _ = alert.set_attribute("role", "alert");
            alert.set_text_content(Some(
                "Something went wrong in Senco Desk and it has stopped. Everything saved before \
                 is safe. Reload the page and unlock again; anything typed since the last save \
                 needs typing again. Left unused for the auto-lock time, the page clears itself \
                 and reloads.",
            ));
            let _ = body.prepend_with_node_1(&alert);
        }
    }
}

/// Shown while the database opens (and an older desk moves into it), or why it cannot.
#[component]
pub fn StorageOpening() -> impl IntoView {
    let app = use_app();
    move || match app.storage.get() {
        super::state::Storage::Failed(e) => view! {
            <h1 tabindex="-1">"Senco Desk cannot use this browser's storage"</h1>
            <div class="notice notice--error" role="alert"><p>{e.to_string()}</p></div>
        }
        .into_any(),
        _ => view! { <p role="status">"Opening your desk\u{2026}"</p> }.into_any(),
    }
}
