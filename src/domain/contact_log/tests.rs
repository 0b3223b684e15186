use super::merge::merge_entry;
use super::search::{LogQuery, SearchIndex};
use super::*;
use crate::domain::due::{what_is_due, DueKind};
use crate::domain::provision::calendar::{SchoolCalendar, SchoolYearDates, Term};
use crate::domain::pupil::PupilFile;
use crate::domain::{Desk, SenStatus, Settings, StatusChange};
use crate::test_support::pupil;
use chrono::TimeZone;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 10, 0, 0).unwrap()
}

fn id(n: u8) -> PupilId {
    PupilId(format!("00000000000000{n:02x}"))
}

/// Three pupils on SEN support: Ada (1), Ben (2), Cai (3).
fn desk() -> Desk {
    let mut settings = Settings::new("Test School");
    settings.provision.calendar = SchoolCalendar {
        years: vec![SchoolYearDates {
            starts_in: 2026,
            terms: vec![
                Term {
                    name: "Autumn 1".into(),
                    starts: day(2026, 9, 3),
                    ends: day(2026, 10, 23),
                },
                Term {
                    name: "Autumn 2".into(),
                    starts: day(2026, 11, 2),
                    ends: day(2026, 12, 18),
                },
            ],
            closures: Vec::new(),
            to_check: false,
        }],
    };
    let mut desk = Desk::new(settings);
    for (n, (forename, surname)) in [("Ada", "Lovelace"), ("Ben", "Okri"), ("Cai", "Jones")]
        .into_iter()
        .enumerate()
    {
        let mut p = pupil(forename, surname);
        p.id = id(n as u8 + 1);
        let mut file = PupilFile::new(p, now());
        file.sen.status_changes.push(StatusChange {
            from: day(2026, 9, 1),
            status: SenStatus::SenSupport,
            reason: String::new(),
            recorded_at: now(),
        });
        desk.put(file);
    }
    desk
}

fn entry(n: u8, on: NaiveDate, how: ContactHow, pupils: &[u8]) -> LogEntry {
    let mut e = LogEntry::new(on, how);
    e.id = format!("000000000000e0{n:02x}");
    e.revision = 1;
    e.summary = format!("Talked about reading (entry {n})");
    e.pupils = pupils.iter().map(|p| id(*p)).collect();
    e.with.push(Party {
        kind: PartyKind::Parent,
        name: "Mrs Okri".into(),
    });
    e
}

fn list(desk: &Desk, today: NaiveDate, kind: DueKind) -> Vec<String> {
    what_is_due(desk, today, &[])
        .into_iter()
        .find(|l| l.kind == kind)
        .unwrap()
        .items
        .into_iter()
        .map(|i| format!("{}: {}", i.name, i.detail))
        .collect()
}

#[test]
fn one_entry_about_three_pupils_shows_on_each_and_is_one_record() {
    let mut desk = desk();
    let e = entry(1, day(2026, 11, 2), ContactHow::Meeting, &[1, 2, 3]);
    let saved = desk.edited_log_entry(e, None).unwrap();
    desk.put_log_entry(saved);
    assert_eq!(desk.log_entries().count(), 1);
    for p in 1..=3 {
        assert_eq!(desk.log_of(&id(p)).len(), 1);
    }
    // Edited once, it is changed on every page.
    let mut edited = desk.log_entry("000000000000e001").unwrap().clone();
    edited.summary = "Agreed a reading plan".into();
    let saved = desk.edited_log_entry(edited.clone(), Some(1)).unwrap();
    desk.put_log_entry(saved);
    assert!(desk
        .log_of(&id(3))
        .iter()
        .all(|e| e.summary == "Agreed a reading plan"));
    // An edit begun from the old revision is refused, not lost over the new one.
    assert!(matches!(
        desk.edited_log_entry(edited, Some(1)),
        Err(crate::domain::DeskError::ChangedElsewhere { .. })
    ));
    // Erasing one pupil takes only them out.
    let mut after = desk.log_entry("000000000000e001").unwrap().clone();
    assert!(after.forget_pupil(&id(2)));
    assert_eq!(after.pupils, vec![id(1), id(3)]);
    assert!(after.check().is_ok());
}

#[test]
fn meetings_with_parents_from_the_log_count_towards_three_a_year_but_calls_do_not() {
    let mut desk = desk();
    let today = day(2026, 11, 20);
    let few = |desk: &Desk| list(desk, today, DueKind::FewParentMeetings);
    assert!(few(&desk).contains(&"Ben Okri: 0 of 3 meetings with parents recorded".to_string()));
    for (n, how) in [
        (1, ContactHow::Meeting),
        (2, ContactHow::VideoCall),
        (3, ContactHow::PhoneCall),
        (4, ContactHow::Email),
    ] {
        desk.put_log_entry(entry(n, day(2026, 11, 2), how, &[2]));
    }
    // Last school year's meeting does not count this year.
    desk.put_log_entry(entry(5, day(2026, 7, 2), ContactHow::InPerson, &[2]));
    // A meeting with staff only is not a meeting with parents.
    let mut staff = entry(6, day(2026, 11, 3), ContactHow::Meeting, &[2]);
    staff.with = vec![Party {
        kind: PartyKind::Staff,
        name: "Miss Jones".into(),
    }];
    desk.put_log_entry(staff);
    assert!(few(&desk).contains(&"Ben Okri: 2 of 3 meetings with parents recorded".to_string()));
    desk.put_log_entry(entry(7, day(2026, 11, 19), ContactHow::InPerson, &[2, 3]));
    assert!(!few(&desk).iter().any(|l| l.starts_with("Ben Okri")));
    assert!(few(&desk).contains(&"Cai Jones: 1 of 3 meetings with parents recorded".to_string()));
    // Saving an entry again counts it once; made a phone call, or with Cai taken out
    // (erased), it no longer counts for them.
    let mut again = entry(7, day(2026, 11, 19), ContactHow::InPerson, &[2, 3]);
    desk.put_log_entry(again.clone());
    assert!(few(&desk).contains(&"Cai Jones: 1 of 3 meetings with parents recorded".to_string()));
    again.forget_pupil(&id(3));
    desk.put_log_entry(again.clone());
    assert!(few(&desk).contains(&"Cai Jones: 0 of 3 meetings with parents recorded".to_string()));
    again.how = ContactHow::PhoneCall;
    desk.put_log_entry(again);
    assert!(few(&desk).contains(&"Ben Okri: 2 of 3 meetings with parents recorded".to_string()));
    // Only what is still open is looked at for the home lists.
    assert_eq!(desk.log_entries_open().count(), 0);
}

#[test]
fn agreed_actions_and_follow_ups_are_due_on_their_day_until_ticked() {
    let mut desk = desk();
    let mut e = entry(1, day(2026, 11, 2), ContactHow::PhoneCall, &[1]);
    e.actions.push(AgreedAction {
        id: "00000000000000a1".into(),
        what: "Send the reading ruler home".into(),
        who: "SENCO".into(),
        by: Some(day(2026, 11, 3)),
        done_on: None,
    });
    e.follow_up = Some(day(2026, 11, 10));
    desk.put_log_entry(e.clone());
    assert!(list(&desk, day(2026, 11, 2), DueKind::ActionsDue).is_empty());
    assert_eq!(
        list(&desk, day(2026, 11, 3), DueKind::ActionsDue),
        ["Ada Lovelace: Send the reading ruler home (SENCO): due 03/11/2026; from Phone call with Mrs Okri (02/11/2026)"]
    );
    assert_eq!(list(&desk, day(2026, 11, 10), DueKind::ActionsDue).len(), 2);
    e.tick_action("00000000000000a1", day(2026, 11, 4)).unwrap();
    assert!(e.tick_action("00000000000000a1", day(2026, 11, 1)).is_err());
    e.follow_up_done = Some(day(2026, 11, 10));
    desk.put_log_entry(e);
    assert!(list(&desk, day(2026, 11, 10), DueKind::ActionsDue).is_empty());
}

#[test]
fn an_enquiry_is_listed_after_one_school_day_without_a_reply_across_weekends_and_holidays() {
    let mut desk = desk();
    // Friday 23/10/2026, the last day before half term.
    let mut e = entry(1, day(2026, 10, 23), ContactHow::Email, &[1]);
    e.enquiry = Some(Enquiry::default());
    desk.put_log_entry(e.clone());
    let waiting = |desk: &Desk, today| list(desk, today, DueKind::EnquiriesWaiting);
    // Half term (26 to 30/10) and the weekend are not school days: Monday 2/11 is the
    // first, so it is listed from Tuesday 3/11.
    assert!(waiting(&desk, day(2026, 10, 30)).is_empty());
    assert!(waiting(&desk, day(2026, 11, 2)).is_empty());
    assert_eq!(
        waiting(&desk, day(2026, 11, 3)),
        ["Ada Lovelace: Email with Mrs Okri (23/10/2026): no reply logged for 2 school days"]
    );
    e.enquiry = Some(Enquiry {
        replied_on: Some(day(2026, 11, 3)),
    });
    desk.put_log_entry(e);
    assert!(waiting(&desk, day(2026, 11, 4)).is_empty());
}

#[test]
fn the_search_finds_by_text_person_pupil_and_dates_newest_first() {
    let mut desk = desk();
    desk.put_log_entry(entry(1, day(2026, 10, 1), ContactHow::Meeting, &[1]));
    let mut call = entry(2, day(2026, 11, 5), ContactHow::PhoneCall, &[2, 3]);
    call.summary = "Worried about SPELLING homework".into();
    call.with[0].name = "Dr Okonjo".into();
    desk.put_log_entry(call);
    let names = desk.name_labels(crate::domain::names::NameOrder::KnownAs);
    let index = SearchIndex::new(desk.log_entries(), &names);
    let find = |q: LogQuery| index.find(&q, 50).0;
    assert_eq!(
        find(LogQuery::default()),
        ["000000000000e002", "000000000000e001"]
    );
    let text = |t: &str| LogQuery {
        text: t.into(),
        ..LogQuery::default()
    };
    assert_eq!(find(text("spelling homework")), ["000000000000e002"]);
    assert_eq!(find(text("cai jones")), ["000000000000e002"]);
    assert_eq!(find(text("reading")), ["000000000000e001"]);
    assert_eq!(
        find(LogQuery {
            person: "okonjo".into(),
            ..LogQuery::default()
        }),
        ["000000000000e002"]
    );
    assert_eq!(
        find(LogQuery {
            pupil: Some(id(1)),
            ..LogQuery::default()
        }),
        ["000000000000e001"]
    );
    assert_eq!(
        find(LogQuery {
            from: Some(day(2026, 10, 2)),
            to: Some(day(2026, 12, 1)),
            ..LogQuery::default()
        }),
        ["000000000000e002"]
    );
}

#[test]
fn a_merge_keeps_both_copies_actions_ticks_and_pupils() {
    let base = {
        let mut e = entry(1, day(2026, 11, 2), ContactHow::Meeting, &[1]);
        e.actions.push(AgreedAction {
            id: "00000000000000a1".into(),
            what: "Book the EP".into(),
            who: String::new(),
            by: None,
            done_on: None,
        });
        e
    };
    let mut ours = base.clone();
    ours.tick_action("00000000000000a1", day(2026, 11, 4))
        .unwrap();
    ours.edited_at = Some(now());
    let mut theirs = base.clone();
    theirs.summary = "Reworded later".into();
    theirs.pupils.push(id(2));
    theirs.actions.push(AgreedAction {
        id: "00000000000000a2".into(),
        what: "Call back".into(),
        who: String::new(),
        by: None,
        done_on: None,
    });
    theirs.edited_at = Some(now() + chrono::Duration::hours(1));
    let merged = merge_entry(&ours, &theirs);
    assert_eq!(merged.summary, "Reworded later");
    assert_eq!(merged.pupils, vec![id(1), id(2)]);
    assert_eq!(merged.actions.len(), 2);
    assert_eq!(merged.actions[0].done_on, Some(day(2026, 11, 4)));
    assert_eq!(merge_entry(&theirs, &ours), merged);
}

#[test]
fn entries_that_stay_but_name_an_erased_pupil_are_listed_for_redaction() {
    let mut desk = desk();
    let mut shared = entry(1, day(2026, 11, 2), ContactHow::Meeting, &[1, 2]);
    shared.summary = "Ben Okri and Ada both need the ruler".into();
    desk.put_log_entry(shared);
    desk.put_log_entry(entry(2, day(2026, 11, 2), ContactHow::Meeting, &[1, 2]));
    let mut only_ben = entry(3, day(2026, 11, 2), ContactHow::Meeting, &[2]);
    only_ben.summary = "Ben Okri is settling".into();
    desk.put_log_entry(only_ben);
    let named: Vec<&str> = desk
        .entries_naming(&id(2))
        .iter()
        .map(|e| e.id.as_str())
        .collect();
    // The entry about Ben alone goes with him; the shared one that names him stays.
    assert_eq!(named, ["000000000000e001"]);
}

#[test]
fn a_stored_entry_is_checked() {
    let mut e = entry(1, day(2026, 11, 2), ContactHow::Meeting, &[1, 1]);
    assert!(e.check().unwrap_err().contains("twice"));
    e.pupils = vec![id(1)];
    e.summary = " ".into();
    assert!(e.check().is_err());
    e.summary = "x".into();
    e.follow_up = Some(day(2026, 11, 1));
    assert!(e.check().unwrap_err().contains("follow-up"));
    e.follow_up = None;
    assert!(e.check().is_ok());
    // Times round trip as HH:MM, and an entry without one reads back.
    e.at = Some(chrono::NaiveTime::from_hms_opt(9, 15, 0).unwrap());
    let json = serde_json::to_string(&e).unwrap();
    assert!(json.contains("\"at\":\"09:15\""), "{json}");
    assert_eq!(serde_json::from_str::<LogEntry>(&json).unwrap(), e);
    assert_eq!(e.when(), "02/11/2026 at 09:15");
}
