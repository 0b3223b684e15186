//! Drafts: the unsaved text of an open form, kept (sealed, see `store::drafts`) so that
//! auto-lock, Lock, a crash or a closed lid never throws away what is being typed.
//!
//! A draft belongs to a page (its path and query, which hold only record ids) and a form on
//! that page ("note", "concern", "decision-2"). It holds each field's value by the field's id.

use chrono::{DateTime, Local, Utc};
use serde::{Deserialize, Serialize};

/// The routes a return path may lead to after unlocking (see [`safe_return_path`]).
const RETURN_ROUTES: [&str; 16] = [
    "/",
    "/pupils",
    "/pupil",
    "/plan",
    "/passport",
    "/passports",
    "/library",
    "/import",
    "/year-end",
    "/backups",
    "/settings",
    "/provision-setup",
    "/provisions",
    "/provision",
    "/sessions",
    "/provision-map",
];

/// The query parameters pages use: record ids and switches only, never a name ("new":
/// a plan just started, which Cancel deletes).
/// "week" is a date (yyyy-mm-dd) and "plan", "row" a pupil id and a plan's row number,
/// for the provision pages.
const RETURN_PARAMETERS: [&str; 8] = ["id", "pupil", "cycle", "edit", "new", "week", "plan", "row"];

/// Switches that only open a form; a draft belongs to the page without them.
const FORM_SWITCHES: [&str; 2] = ["edit", "new"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// The page (path and query inside the app), e.g. "/pupil?id=3f9a…".
    pub page: String,
    /// Which form on the page, e.g. "note" or "decision-2".
    pub form: String,
    /// When the text was last kept.
    #[serde(with = "super::dates::timestamp")]
    pub saved_at: DateTime<Utc>,
    /// Each field's value by the field's id, in the form's order.
    pub fields: Vec<(String, String)>,
}

impl Draft {
    /// Whether the draft was typed on a page about this pupil (their page, a plan, the
    /// passport, their part of a provision, a provision made from their plan): such drafts
    /// go when the pupil is erased.
    pub fn is_about(&self, pupil: &str) -> bool {
        let Some((_, query)) = self.page.split_once('?') else {
            return false;
        };
        query.split('&').any(
            |pair| matches!(pair.split_once('='), Some(("id" | "pupil" | "plan", value)) if value == pupil),
        )
    }

    /// What the SENCO is offered after unlocking: "You have unsaved text from 14:05 on
    /// 01/12/2026." in this computer's time zone.
    pub fn offer(&self) -> String {
        let local = self.saved_at.with_timezone(&Local).naive_local();
        offer_text(local)
    }

    /// The value kept for a field, if any.
    pub fn value(&self, field_id: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(id, _)| id == field_id)
            .map(|(_, value)| value.as_str())
    }
}

/// "You have unsaved text from 14:05 on 01/12/2026."
pub fn offer_text(at: chrono::NaiveDateTime) -> String {
    format!(
        "You have unsaved text from {} on {}.",
        at.format("%H:%M"),
        super::dates::format_uk(at.date())
    )
}

/// Whether any field differs from what the form started with: only then is there anything
/// to keep. `start` and `now` are (field id, value) pairs.
pub fn has_changes(start: &[(String, String)], now: &[(String, String)]) -> bool {
    now.iter().any(|(id, value)| {
        start
            .iter()
            .find(|(start_id, _)| start_id == id)
            .map_or(!value.is_empty(), |(_, was)| was != value)
    })
}

/// A path to return to after unlocking, if it is a page of this app whose query holds only
/// record ids: anything else (another site, an unknown page, text in the query) gives None,
/// so the unlock screen can never be made to send the SENCO elsewhere or carry a name.
pub fn safe_return_path(path: &str) -> Option<String> {
    let (route, query) = match path.split_once('?') {
        Some((route, query)) => (route, Some(query)),
        None => (path, None),
    };
    if !RETURN_ROUTES.contains(&route) {
        return None;
    }
    if let Some(query) = query {
        for pair in query.split('&') {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let id_like = value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !RETURN_PARAMETERS.contains(&name) || !id_like || value.len() > 64 {
                return None;
            }
        }
    }
    Some(path.to_string())
}

/// The page a draft belongs to: the address without "edit" and "new" (which only open a
/// form), so a plan's draft is offered on the plan whether or not the address opens its form.
pub fn draft_page(path: &str) -> String {
    let Some((route, query)) = path.split_once('?') else {
        return path.to_string();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let name = pair.split('=').next().unwrap_or_default();
            !pair.is_empty() && !FORM_SWITCHES.contains(&name)
        })
        .collect();
    if kept.is_empty() {
        route.to_string()
    } else {
        format!("{route}?{}", kept.join("&"))
    }
}

/// How long before auto-lock its warning appears: a minute, or half the time when the
/// auto-lock time is a minute, so the warning never shows the moment the desk is left.
pub fn warn_before_ms(auto_lock_minutes: u32) -> f64 {
    let lock_ms = f64::from(auto_lock_minutes) * 60_000.0;
    (lock_ms / 2.0).min(60_000.0)
}

/// The warning's words.
pub fn lock_warning(auto_lock_minutes: u32) -> String {
    let seconds = (warn_before_ms(auto_lock_minutes) / 1000.0).round() as u32;
    let when = if seconds == 60 {
        "a minute".to_string()
    } else {
        format!("{seconds} seconds")
    };
    format!(
        "Senco Desk has not been used for a while and will lock in {when}. Anything you are typing is kept as an encrypted draft."
    )
}

/// Why a tab was locked, kept for the notice after the page reloads (in sessionStorage, so
/// it must say nothing about any pupil: it is a few fixed words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockReason {
    /// The Lock button in this tab.
    Button,
    /// Auto-lock after this many minutes without use.
    Idle(u32),
    /// Lock pressed in another tab.
    OtherTab,
}

/// Where the unsaved text of open forms went when the tab locked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftsKept {
    /// No form had unsaved text.
    None,
    /// Kept as encrypted drafts in the browser's storage.
    Stored,
    /// Storage was full: kept encrypted in this tab's memory only (the page was not reloaded).
    InThisTabOnly,
}

impl LockReason {
    /// The sessionStorage value: fixed words and a number, nothing about a pupil.
    pub fn flag(self, drafts: DraftsKept) -> String {
        let reason = match self {
            LockReason::Button => "button".to_string(),
            LockReason::Idle(minutes) => format!("idle-{minutes}"),
            LockReason::OtherTab => "other-tab".to_string(),
        };
        let drafts = match drafts {
            DraftsKept::None => "none",
            DraftsKept::Stored => "drafts",
            DraftsKept::InThisTabOnly => "memory",
        };
        format!("{reason}/{drafts}")
    }

    /// Reads [`LockReason::flag`] back; None for anything else.
    pub fn from_flag(flag: &str) -> Option<(LockReason, DraftsKept)> {
        let (reason, drafts) = flag.split_once('/')?;
        let reason = match reason {
            "button" => LockReason::Button,
            "other-tab" => LockReason::OtherTab,
            idle => LockReason::Idle(idle.strip_prefix("idle-")?.parse().ok()?),
        };
        let drafts = match drafts {
            "none" => DraftsKept::None,
            "drafts" => DraftsKept::Stored,
            "memory" => DraftsKept::InThisTabOnly,
            _ => return None,
        };
        Some((reason, drafts))
    }

    /// The notice shown after locking: true to what happened to unsaved text.
    pub fn notice(self, drafts: DraftsKept) -> String {
        let why = match self {
            LockReason::Button => "Senco Desk is locked.".to_string(),
            LockReason::Idle(minutes) => format!(
                "Senco Desk locked itself after {minutes} minute{} without use.",
                if minutes == 1 { "" } else { "s" }
            ),
            LockReason::OtherTab => "Senco Desk was locked in another tab.".to_string(),
        };
        let kept = match drafts {
            DraftsKept::None => "Your records are safe.",
            DraftsKept::Stored => {
                "Your records are safe. Your unsaved text is kept as an encrypted draft: unlock to carry on where you were."
            }
            DraftsKept::InThisTabOnly => {
                "Your records are safe. The browser's storage is full, so your unsaved text is kept, encrypted, in this tab only: unlock here to get it back (closing or reloading this tab loses it)."
            }
        };
        format!("{why} {kept}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn point_2_a_draft_is_about_the_pupil_its_page_names() {
        let draft = |page: &str| super::Draft {
            page: page.into(),
            form: "note".into(),
            saved_at: chrono::Utc::now(),
            fields: Vec::new(),
        };
        assert!(draft("/pupil?id=abc").is_about("abc"));
        assert!(draft("/plan?pupil=abc&cycle=2").is_about("abc"));
        assert!(draft("/passport?id=abc").is_about("abc"));
        assert!(draft("/provision?id=p1&pupil=abc").is_about("abc"));
        assert!(draft("/provision?plan=abc&cycle=1&row=0").is_about("abc"));
        assert!(!draft("/pupil?id=abcd").is_about("abc"));
        assert!(!draft("/plan?pupil=xyz&cycle=2").is_about("abc"));
        assert!(!draft("/pupils").is_about("abc"));
        // A plan just started returns to its form, and its draft belongs to the plan.
        assert_eq!(
            super::safe_return_path("/plan?pupil=abc&cycle=2&edit&new").as_deref(),
            Some("/plan?pupil=abc&cycle=2&edit&new")
        );
        assert_eq!(
            super::draft_page("/plan?pupil=abc&cycle=2&edit&new"),
            "/plan?pupil=abc&cycle=2"
        );
    }

    use super::*;
    use chrono::NaiveDate;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn point_2_the_offer_names_the_time_and_the_date_as_01_12_2026() {
        let at = NaiveDate::from_ymd_opt(2026, 12, 1)
            .unwrap()
            .and_hms_opt(9, 5, 0)
            .unwrap();
        assert_eq!(
            offer_text(at),
            "You have unsaved text from 09:05 on 01/12/2026."
        );
    }

    #[test]
    fn point_2_only_a_changed_form_has_anything_to_keep() {
        let start = pairs(&[("note-date", "01/12/2026"), ("note-text", "")]);
        assert!(!has_changes(&start, &start));
        assert!(has_changes(
            &start,
            &pairs(&[("note-date", "01/12/2026"), ("note-text", "Spoke to mum")])
        ));
        // A field the form did not start with counts once it has text.
        assert!(has_changes(&start, &pairs(&[("extra", "x")])));
        assert!(!has_changes(&start, &pairs(&[("extra", "")])));
    }

    #[test]
    fn point_2_unlocking_returns_only_to_a_page_of_the_app_with_ids_in_its_query() {
        for good in [
            "/",
            "/pupils",
            "/pupil?id=3f9a0c1d2e",
            "/plan?pupil=3f9a&cycle=2&edit",
            "/passport?id=ab-12_c",
            "/provision-setup",
            "/provision?id=a1b2c3d4e5f60718&pupil=3f9a",
            "/sessions?id=a1b2c3d4e5f60718&week=2026-11-30",
            "/provision-map",
        ] {
            assert_eq!(safe_return_path(good).as_deref(), Some(good), "{good}");
        }
        for bad in [
            "//evil.example/pupil",
            "https://evil.example/",
            "/unlock",
            "/pupil?id=Amara%20Okafor",
            "/pupil?name=Amara",
            "/pupil?id=a b",
            "pupil?id=1",
            "/create",
        ] {
            assert_eq!(safe_return_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn point_2_the_lock_flag_holds_no_more_than_the_reason_and_reads_back() {
        for reason in [
            LockReason::Button,
            LockReason::Idle(5),
            LockReason::OtherTab,
        ] {
            for drafts in [
                DraftsKept::None,
                DraftsKept::Stored,
                DraftsKept::InThisTabOnly,
            ] {
                let flag = reason.flag(drafts);
                assert!(flag.len() < 20, "{flag}");
                assert_eq!(LockReason::from_flag(&flag), Some((reason, drafts)));
            }
        }
        assert_eq!(LockReason::from_flag("idle-x/drafts"), None);
        assert_eq!(LockReason::from_flag("Okafor"), None);
    }

    #[test]
    fn point_2_the_notice_says_the_text_is_kept_only_when_it_is() {
        let idle = LockReason::Idle(1);
        assert_eq!(
            idle.notice(DraftsKept::None),
            "Senco Desk locked itself after 1 minute without use. Your records are safe."
        );
        assert!(!idle.notice(DraftsKept::None).contains("draft"));
        assert!(idle
            .notice(DraftsKept::Stored)
            .contains("Your unsaved text is kept as an encrypted draft"));
        let memory = LockReason::Button.notice(DraftsKept::InThisTabOnly);
        assert!(memory.contains("in this tab only") && !memory.contains("as an encrypted draft"));
        assert_eq!(
            LockReason::Idle(5).notice(DraftsKept::None),
            "Senco Desk locked itself after 5 minutes without use. Your records are safe."
        );
    }
    #[test]
    fn point_2_a_draft_belongs_to_the_page_whether_or_not_its_address_opens_the_form() {
        assert_eq!(
            draft_page("/plan?pupil=ab&cycle=2&edit"),
            "/plan?pupil=ab&cycle=2"
        );
        assert_eq!(draft_page("/plan?edit&pupil=ab"), "/plan?pupil=ab");
        assert_eq!(draft_page("/pupil?id=ab"), "/pupil?id=ab");
        assert_eq!(draft_page("/settings"), "/settings");
        assert_eq!(draft_page("/passport?edit"), "/passport");
    }

    #[test]
    fn point_2_the_warning_comes_a_minute_before_auto_lock() {
        assert_eq!(warn_before_ms(5), 60_000.0);
        assert_eq!(warn_before_ms(10), 60_000.0);
        assert_eq!(warn_before_ms(1), 30_000.0);
        assert!(lock_warning(5).contains("will lock in a minute"));
        assert!(lock_warning(1).contains("will lock in 30 seconds"));
    }
}
