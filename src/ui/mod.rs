//! The user interface (browser only): routes, the page shell and each screen.

mod about;
mod agencies;
mod autolock;
mod backup_files;
mod backups;
mod choose_backup;
mod clock;
mod contact_log;
mod crash_lock;
mod create;
mod download;
mod drafts;
mod ehc;
mod files_storage;
mod find_pupil;
mod form;
mod framed;
mod frames;
mod home;
mod import;
mod integrity;
mod kdf_worker;
mod library_page;
mod library_picker;
mod names;
mod opening;
mod passport_page;
mod perf;
mod persistence;
mod plan_page;
mod provision_setup;
mod provisions;
mod pupil_files;
mod pupil_form;
mod pupil_page;
mod pupil_plans;
mod referral_page;
mod register;
mod restore;
mod settings;
mod shell;
mod state;
mod tabs;
mod term_dates;
mod unlock;
mod year_end;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use state::AppState;

/// The single-segment routes the app has. Keeping them one segment deep means relative
/// asset paths still work when a static host serves index.html for /pupils.
const ROUTES: [&str; 25] = [
    "create",
    "restore",
    "unlock",
    "pupils",
    "pupil",
    "plan",
    "passport",
    "passports",
    "library",
    "import",
    "year-end",
    "backups",
    "settings",
    "provision-setup",
    "about",
    "provisions",
    "provision",
    "sessions",
    "provision-map",
    "ehc",
    "ehc-case",
    "agencies",
    "referral",
    "log",
    "log-entry",
];

/// Mounts the app. Called from main.rs.
pub fn start() {
    std::panic::set_hook(Box::new(|info| shell::report_crash(&info.to_string())));
    let Some(window) = web_sys::window() else {
        return;
    };
    let framed = framed::is_framed(&window);
    if let Some(loading) = window
        .document()
        .and_then(|d| d.get_element_by_id("loading"))
    {
        loading.remove();
    }
    // Inside another page's frame: open nothing, read nothing, offer the app on its own.
    if framed {
        leptos::mount::mount_to_body(framed::OpenDirectly);
        return;
    }
    // Opened as …/index.html: show it as the app's root, which the routes know.
    let path = window.location().pathname().unwrap_or_default();
    if let Some(root) = path.strip_suffix("index.html") {
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(root));
        }
    }
    leptos::mount::mount_to_body(App);
}

/// Where the app lives on this host: the path without the route or index.html.
fn base_path() -> String {
    let path = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default();
    let mut segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    if let Some(last) = segments.last() {
        if ROUTES.contains(last) || *last == "index.html" {
            segments.pop();
        }
    }
    segments.join("/").trim_end_matches('/').to_string()
}

#[component]
fn App() -> impl IntoView {
    let base = base_path();
    let app = AppState::new(base.clone());
    provide_context(app);
    app.open_storage();
    view! {
        <Router base=base.clone()>
            <shell::Shell>
                <Show when=move || app.storage.with(|s| *s == state::Storage::Ready)
                    fallback=move || view! { <shell::StorageOpening/> }>
                <Routes fallback=|| view! { <shell::NotFound/> }>
                    <Route path=path!("/") view=home::Home/>
                    <Route path=path!("/create") view=create::CreateDesk/>
                    <Route path=path!("/restore") view=restore::RestoreDesk/>
                    <Route path=path!("/unlock") view=unlock::Unlock/>
                    <Route path=path!("/pupils") view=register::Pupils/>
                    <Route path=path!("/pupil") view=pupil_page::PupilPage/>
                    <Route path=path!("/plan") view=plan_page::PlanPage/>
                    <Route path=path!("/passport") view=passport_page::PassportPage/>
                    <Route path=path!("/passports") view=passport_page::PassportsPage/>
                    <Route path=path!("/library") view=library_page::LibraryPage/>
                    <Route path=path!("/import") view=import::Import/>
                    <Route path=path!("/year-end") view=year_end::YearEnd/>
                    <Route path=path!("/backups") view=backups::Backups/>
                    <Route path=path!("/settings") view=settings::SettingsPage/>
                    <Route path=path!("/provision-setup") view=provision_setup::ProvisionSetupPage/>
                    <Route path=path!("/about") view=about::About/>
                    <Route path=path!("/provisions") view=provisions::ProvisionsPage/>
                    <Route path=path!("/provision") view=provisions::ProvisionPage/>
                    <Route path=path!("/sessions") view=provisions::SessionsPage/>
                    <Route path=path!("/provision-map") view=provisions::ProvisionMapPage/>
                    <Route path=path!("/ehc") view=ehc::EhcPage/>
                    <Route path=path!("/ehc-case") view=ehc::CasePage/>
                    <Route path=path!("/agencies") view=agencies::AgenciesPage/>
                    <Route path=path!("/referral") view=referral_page::ReferralPage/>
                    <Route path=path!("/log") view=contact_log::LogPage/>
                    <Route path=path!("/log-entry") view=contact_log::EntryPage/>
                </Routes>
                </Show>
            </shell::Shell>
            <autolock::AutoLock/>
            <tabs::OtherTabs/>
        </Router>
    }
}
