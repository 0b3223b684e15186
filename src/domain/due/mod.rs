//! What is due: the home screen's lists of reviews, missing plans, stale drafts, parent
//! meetings and old concerns, each sorted by urgency, with items dismissed for a week.

use super::dates::format_uk;
use super::desk::Desk;
use super::names::NameOrder;
use super::plan::PlanStatus;
use super::pupil::PupilId;
use super::sen::SenStatus;
use super::text::count;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// Reviews due within this many days are listed as coming up.
pub const REVIEW_SOON_DAYS: i64 = 14;
/// Drafts older than this many days are listed.
pub const DRAFT_STALE_DAYS: i64 = 14;
/// Open concerns older than this many days (four weeks) are listed.
pub const CONCERN_OLD_DAYS: i64 = 28;
/// The meetings with parents a pupil on SEN support should have each school year.
pub const PARENT_MEETINGS_A_YEAR: usize = 3;
/// How long a dismissed item stays hidden.
pub const DISMISS_DAYS: u64 = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DueKind {
    ReviewOverdue,
    ReviewSoon,
    EhcOverdue,
    EhcSoon,
    RequestLate,
    TransferAtRisk,
    ReferralToChase,
    ActionsDue,
    EnquiriesWaiting,
    NoActivePlan,
    OldDraft,
    FewParentMeetings,
    OldConcern,
    DateOfBirthToCorrect,
}

impl DueKind {
    pub const ALL: [DueKind; 14] = [
        DueKind::ReviewOverdue,
        DueKind::ReviewSoon,
        DueKind::EhcOverdue,
        DueKind::EhcSoon,
        DueKind::RequestLate,
        DueKind::TransferAtRisk,
        DueKind::ReferralToChase,
        DueKind::ActionsDue,
        DueKind::EnquiriesWaiting,
        DueKind::NoActivePlan,
        DueKind::OldDraft,
        DueKind::FewParentMeetings,
        DueKind::OldConcern,
        DueKind::DateOfBirthToCorrect,
    ];

    pub fn heading(self) -> &'static str {
        match self {
            DueKind::ReviewOverdue => "Reviews overdue",
            DueKind::ReviewSoon => "Reviews due in the next 14 days",
            DueKind::EhcOverdue => "EHC steps overdue",
            DueKind::EhcSoon => "EHC steps due in the next 14 days",
            DueKind::RequestLate => "Needs assessment requests past a statutory limit",
            DueKind::TransferAtRisk => "Phase transfers at risk",
            DueKind::ReferralToChase => "Referrals to chase: no news within the follow-up time",
            DueKind::ActionsDue => "Agreed actions and follow-ups due",
            DueKind::EnquiriesWaiting => "Enquiries waiting more than one school day for a reply",
            DueKind::NoActivePlan => "SEN support or EHC plan, but no active plan",
            DueKind::OldDraft => "Draft plans older than 14 days",
            DueKind::FewParentMeetings => "Fewer than three meetings with parents this school year",
            DueKind::OldConcern => "Open concerns older than 4 weeks",
            DueKind::DateOfBirthToCorrect => "Dates of birth to correct",
        }
    }

    /// Items about a pupil's EHC case, which link to it.
    pub fn is_ehc(self) -> bool {
        matches!(
            self,
            DueKind::EhcOverdue | DueKind::EhcSoon | DueKind::RequestLate | DueKind::TransferAtRisk
        )
    }
}

/// One line of a list: a pupil and what is due, with a link target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueItem {
    pub kind: DueKind,
    pub pupil: PupilId,
    pub name: String,
    /// The plan the item is about, for a link straight to it.
    pub cycle: Option<u32>,
    /// The referral the item is about, for a link straight to it.
    pub referral: Option<String>,
    /// The contact log entry the item is about, for a link straight to it.
    pub entry: Option<String>,
    pub detail: String,
    /// Stable while the item is the same, so a dismissal covers it and no other.
    pub key: String,
    /// Lower is more urgent.
    urgency: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueList {
    pub kind: DueKind,
    pub items: Vec<DueItem>,
    /// How many items are hidden because they were dismissed.
    pub dismissed: usize,
}

/// An item hidden until a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dismissal {
    pub key: String,
    #[serde(with = "super::dates::iso_date")]
    pub until: NaiveDate,
}

/// The dismissals after hiding `key` from `today` for a week; expired ones are dropped.
pub fn dismiss(dismissals: &[Dismissal], key: &str, today: NaiveDate) -> Vec<Dismissal> {
    let mut next: Vec<Dismissal> = dismissals
        .iter()
        .filter(|d| d.until > today && d.key != key)
        .cloned()
        .collect();
    next.push(Dismissal {
        key: key.to_string(),
        until: today + Days::new(DISMISS_DAYS),
    });
    next
}

fn days_text(days: i64) -> String {
    count(days.unsigned_abs() as usize, "day")
}

/// Every list, in [`DueKind::ALL`]'s order, most urgent first within each.
pub fn what_is_due(desk: &Desk, today: NaiveDate, dismissals: &[Dismissal]) -> Vec<DueList> {
    what_is_due_named(
        desk,
        today,
        dismissals,
        &desk.name_labels(NameOrder::KnownAs),
    )
}

/// As [`what_is_due`], with the pupils' names as lists show them
/// (`Desk::name_labels(NameOrder::KnownAs)`) made once for all of the home screen's lists.
pub fn what_is_due_named(
    desk: &Desk,
    today: NaiveDate,
    dismissals: &[Dismissal],
    labels: &std::collections::HashMap<PupilId, String>,
) -> Vec<DueList> {
    let mut items = Vec::new();
    let logged_meetings = desk.logged_parent_meetings(today);
    for file in desk.files() {
        let pupil = &file.pupil;
        if pupil.is_archived() {
            continue;
        }
        let id = &pupil.id.0;
        let mut add = |kind, cycle, detail: String, key: String, urgency: i64| {
            items.push(DueItem {
                kind,
                pupil: pupil.id.clone(),
                name: labels[&pupil.id].clone(),
                cycle,
                referral: None,
                entry: None,
                detail,
                key,
                urgency,
            })
        };
        if pupil.date_of_birth_to_correct() {
            add(
                DueKind::DateOfBirthToCorrect,
                None,
                "Date of birth unknown (to correct): the age and retention date are unknown until it is set in Edit details".into(),
                format!("dob:{id}"),
                0,
            );
        }
        for plan in &file.plans {
            match plan.status {
                PlanStatus::Active => {
                    let days = plan.days_to_review(today);
                    let key = format!("review:{id}:{}:{}", plan.cycle, plan.review_on);
                    let due = format_uk(plan.review_on);
                    if days < 0 {
                        let detail = format!(
                            "Plan {}: review was due {due} ({} ago)",
                            plan.cycle,
                            days_text(days)
                        );
                        add(DueKind::ReviewOverdue, Some(plan.cycle), detail, key, days);
                    } else if days <= REVIEW_SOON_DAYS {
                        let when = match days {
                            0 => "today".to_string(),
                            _ => format!("in {}", days_text(days)),
                        };
                        let detail = format!("Plan {}: review due {due} ({when})", plan.cycle);
                        add(DueKind::ReviewSoon, Some(plan.cycle), detail, key, days);
                    }
                }
                PlanStatus::Draft => {
                    let age = (today - plan.drafted_on).num_days();
                    if age > DRAFT_STALE_DAYS {
                        let detail = format!(
                            "Plan {}: drafted {} ({} ago)",
                            plan.cycle,
                            format_uk(plan.drafted_on),
                            days_text(age)
                        );
                        let key = format!("draft:{id}:{}", plan.cycle);
                        add(DueKind::OldDraft, Some(plan.cycle), detail, key, -age);
                    }
                }
                PlanStatus::Reviewed => {}
            }
        }
        ehc_items(file, &desk.settings.ehc, today, &mut add);
        let status = file.sen.status_on(today);
        // A pupil with an EHC plan has it as their plan, unless the school also writes
        // termly support plans for them (settings).
        let ehc_is_the_plan = (status == SenStatus::EhcPlan || file.ehc.current_plan().is_some())
            && !desk.settings.ehc.termly_plans;
        if matches!(status, SenStatus::SenSupport | SenStatus::EhcPlan)
            && file.active_plan().is_none()
            && !ehc_is_the_plan
        {
            let since = file.sen.status_since(today).unwrap_or(today);
            let since_words = file
                .sen
                .status_since_words(today)
                .unwrap_or_else(|| format!("since {}", format_uk(since)));
            let draft = match file.draft_plan() {
                Some(d) => format!("; plan {} is a draft", d.cycle),
                None => String::new(),
            };
            let detail = format!("{status} {since_words}{draft}");
            let key = format!("noplan:{id}");
            add(
                DueKind::NoActivePlan,
                file.draft_plan().map(|d| d.cycle),
                detail,
                key,
                (since - today).num_days(),
            );
        }
        if status == SenStatus::SenSupport {
            // Plan reviews parents attended, and meetings with them from the contact log.
            let met =
                file.parent_meetings(today) + logged_meetings.get(&pupil.id).copied().unwrap_or(0);
            if met < PARENT_MEETINGS_A_YEAR {
                let detail =
                    format!("{met} of {PARENT_MEETINGS_A_YEAR} meetings with parents recorded");
                let key = format!("meetings:{id}:{met}");
                add(DueKind::FewParentMeetings, None, detail, key, met as i64);
            }
        }
        for concern in file.concerns.iter().filter(|c| c.is_open()) {
            let age = concern.age_days(today);
            if age > CONCERN_OLD_DAYS {
                let detail = format!(
                    "Concern{} raised {} ({} ago)",
                    concern
                        .area
                        .map(|a| format!(" about {a}"))
                        .unwrap_or_default(),
                    format_uk(concern.raised_on),
                    days_text(age)
                );
                let key = format!(
                    "concern:{id}:{}:{}",
                    concern.raised_on,
                    concern.recorded_at.timestamp_millis()
                );
                add(DueKind::OldConcern, None, detail, key, -age);
            }
        }
        referral_items(
            file,
            &desk.settings,
            today,
            |detail, key, urgency, referral| {
                items.push(DueItem {
                    kind: DueKind::ReferralToChase,
                    pupil: pupil.id.clone(),
                    name: labels[&pupil.id].clone(),
                    cycle: None,
                    referral: Some(referral),
                    entry: None,
                    detail,
                    key,
                    urgency,
                })
            },
        );
    }
    log_items(desk, today, labels, &mut items);
    // A dismissal lasts a week from the day it was made; one dated further ahead (a clock
    // set wrong, a crafted backup) must not hide an item for longer.
    let latest = today + Days::new(DISMISS_DAYS);
    let hidden = |item: &DueItem| {
        dismissals
            .iter()
            .any(|d| d.key == item.key && d.until > today && d.until <= latest)
    };
    DueKind::ALL
        .into_iter()
        .map(|kind| {
            let (dismissed, mut shown): (Vec<DueItem>, Vec<DueItem>) = items
                .iter()
                .filter(|i| i.kind == kind)
                .cloned()
                .partition(hidden);
            shown.sort_by(|a, b| a.urgency.cmp(&b.urgency).then(a.name.cmp(&b.name)));
            DueList {
                kind,
                items: shown,
                dismissed: dismissed.len(),
            }
        })
        .collect()
}

/// Agreed actions and follow-ups from the contact log due by today and not done, and
/// enquiries with no reply after one school day.
fn log_items(
    desk: &Desk,
    today: NaiveDate,
    labels: &std::collections::HashMap<PupilId, String>,
    items: &mut Vec<DueItem>,
) {
    use super::referral::clock::{after_school_days, school_days_after};
    let calendar = &desk.settings.provision.calendar;
    for entry in desk.log_entries_open() {
        // Open, but maybe not yet due: skip before making any words.
        let action_due = entry
            .actions
            .iter()
            .any(|a| a.done_on.is_none() && a.by.is_some_and(|by| by <= today));
        let follow_up_due =
            matches!((entry.follow_up, entry.follow_up_done), (Some(on), None) if on <= today);
        let waiting = matches!(
            &entry.enquiry,
            Some(super::contact_log::Enquiry { replied_on: None })
        );
        if !(action_due || follow_up_due || waiting) {
            continue;
        }
        let named: Vec<&String> = entry.pupils.iter().filter_map(|p| labels.get(p)).collect();
        let name = match named.as_slice() {
            [] => entry
                .with
                .first()
                .map_or_else(|| "No pupil".to_string(), |p| p.name.clone()),
            [one] => (*one).clone(),
            [one, rest @ ..] => format!("{one} and {}", count(rest.len(), "other")),
        };
        let pupil = entry
            .pupils
            .first()
            .cloned()
            .unwrap_or(PupilId(String::new()));
        let mut push = |kind, detail: String, key: String, urgency: i64| {
            items.push(DueItem {
                kind,
                pupil: pupil.clone(),
                name: name.clone(),
                cycle: None,
                referral: None,
                entry: Some(entry.id.clone()),
                detail,
                key,
                urgency,
            })
        };
        let from = format!("{} ({})", entry.heading(), entry.when());
        for action in entry.actions.iter().filter(|a| a.done_on.is_none()) {
            let Some(by) = action.by.filter(|by| *by <= today) else {
                continue;
            };
            let who = if action.who.is_empty() {
                String::new()
            } else {
                format!(" ({})", action.who)
            };
            push(
                DueKind::ActionsDue,
                format!("{}{who}: due {}; from {from}", action.what, format_uk(by)),
                format!("action:{}:{}", entry.id, action.id),
                (by - today).num_days(),
            );
        }
        if let (Some(on), None) = (entry.follow_up, entry.follow_up_done) {
            if on <= today {
                push(
                    DueKind::ActionsDue,
                    format!("Follow up {from}: due {}", format_uk(on)),
                    format!("followup:{}:{on}", entry.id),
                    (on - today).num_days(),
                );
            }
        }
        if let Some(super::contact_log::Enquiry { replied_on: None }) = &entry.enquiry {
            if today > after_school_days(calendar, entry.on, 1) {
                let waited = school_days_after(calendar, entry.on, today);
                push(
                    DueKind::EnquiriesWaiting,
                    format!("{from}: no reply logged for {} school days", waited),
                    format!("enquiry:{}", entry.id),
                    -i64::from(waited),
                );
            }
        }
    }
}

/// A pupil's referrals with no news from the agency for longer than the school's
/// follow-up time, counted in school days from the last step.
fn referral_items(
    file: &super::pupil::PupilFile,
    settings: &super::settings::Settings,
    today: NaiveDate,
    mut add: impl FnMut(String, String, i64, String),
) {
    use super::referral::clock::{after_school_days, school_days_after};
    let calendar = &settings.provision.calendar;
    let weeks = settings.agencies.follow_up_weeks;
    for referral in &file.referrals {
        let Some(last) = referral.last_step() else {
            continue;
        };
        if !last.kind.is_waiting() {
            continue;
        }
        let chase_after = after_school_days(calendar, last.on, weeks * 5);
        if today <= chase_after {
            continue;
        }
        let waited = school_days_after(calendar, last.on, today);
        add(
            format!(
                "Referral to {}: {}; no news for {} school days (follow up after {})",
                referral.agency,
                last.describe(),
                waited,
                count(weeks as usize, "week")
            ),
            format!("referral:{}:{}:{}", referral.id, last.kind.code(), last.on),
            -i64::from(waited),
            referral.id.clone(),
        );
    }
}

/// A pupil's EHC items: steps overdue or due within 14 days, requests past a statutory
/// limit, and a phase transfer whose review is not held or scheduled in time.
fn ehc_items(
    file: &super::pupil::PupilFile,
    settings: &super::settings::EhcSettings,
    today: NaiveDate,
    add: &mut impl FnMut(DueKind, Option<u32>, String, String, i64),
) {
    use super::ehc::record::CaseSetting;
    use super::ehc::Standing;
    let record = &file.ehc;
    if record.is_empty() {
        return;
    }
    let setting = CaseSetting {
        born: file.pupil.date_of_birth,
        year_group: file.pupil.year_group,
        lead: &settings.lead,
        transfer_years: &settings.transfer_years,
    };
    let reference = record.reference();
    for step in record.open_steps(&setting, today) {
        let days = (step.due - today).num_days();
        let due = format_uk(step.due);
        let key = format!("ehc:{}", step.key);
        // The school's own advice is not the local authority's delay.
        let from_request = step.what.starts_with("Request:") && !step.key.ends_with(":advice");
        match step.standing {
            Standing::Late { days_late } if from_request => add(
                DueKind::RequestLate,
                None,
                format!(
                    "{reference}: {}: due {due}, the local authority is {} late",
                    step.what,
                    days_text(i64::from(days_late))
                ),
                key,
                days,
            ),
            Standing::Late { .. } => add(
                DueKind::EhcOverdue,
                None,
                format!(
                    "{reference}: {}: due {due} ({} ago)",
                    step.what,
                    days_text(days)
                ),
                key,
                days,
            ),
            Standing::Due { .. } if days <= REVIEW_SOON_DAYS => {
                let when = match days {
                    0 => "today".to_string(),
                    _ => format!("in {}", days_text(days)),
                };
                add(
                    DueKind::EhcSoon,
                    None,
                    format!("{reference}: {}: due {due} ({when})", step.what),
                    key,
                    days,
                )
            }
            _ => {}
        }
    }
    if let Some(transfer) = record.transfer(&setting, today) {
        if !record.transfer_review_in_time(&transfer) && today <= transfer.deadline {
            let scheduled = match record.scheduled_review() {
                Some(r) => format!("the review is set for {}, too late", format_uk(r.meeting)),
                None => "no review is scheduled".into(),
            };
            add(
                DueKind::TransferAtRisk,
                None,
                format!(
                    "{reference}: {}: review by {}, amended plan by {}; {scheduled}",
                    transfer.transfer,
                    format_uk(transfer.review_by),
                    format_uk(transfer.deadline)
                ),
                format!("ehc:transfer:{}:{}", file.pupil.id.0, transfer.deadline),
                (transfer.review_by - today).num_days(),
            );
        }
    }
}

#[cfg(test)]
mod tests;
