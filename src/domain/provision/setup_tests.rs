//! The provision set-up: what the SENCO types, the changes the screens make, and the
//! checks on a set-up read from a backup.

use super::calendar::{Closure, DayPart, SchoolYearDates, Term};
use super::entry::*;
use super::money::Pence;
use super::setup::*;
use super::staff::{RoleRates, StaffMember, StaffRole};
use chrono::NaiveDate;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn member(id: &str, name: &str, role: StaffRole, hourly: Option<i64>) -> StaffMember {
    StaffMember {
        id: id.into(),
        name: name.into(),
        role,
        hourly: hourly.map(Pence),
        left: false,
    }
}

fn term(name: &str, from: &str, to: &str) -> TermEntry {
    TermEntry {
        name: name.into(),
        starts: from.into(),
        ends: to.into(),
    }
}

fn closure(on: &str, part: &str, reason: &str) -> ClosureEntry {
    ClosureEntry {
        on: on.into(),
        part: part.into(),
        reason: reason.into(),
    }
}

fn autumn_only() -> Vec<TermEntry> {
    vec![
        term("Autumn 1", "03/09/2026", "23/10/2026"),
        term("Autumn 2", "2/11/26", "18.12.2026"),
    ]
}

fn a_year() -> SchoolYearDates {
    read_year(
        2026,
        &autumn_only(),
        &[closure("02/11/2026", "whole", "INSET")],
        false,
    )
    .unwrap()
}

fn a_setup() -> ProvisionSetup {
    let mut setup = ProvisionSetup::default();
    setup
        .put_staff(member(
            "0123456789abcdef",
            "Mrs Patel",
            StaffRole::TeachingAssistant,
            None,
        ))
        .unwrap();
    setup
        .put_staff(member(
            "fedcba9876543210",
            "Ms Green",
            StaffRole::Hlta,
            Some(1562),
        ))
        .unwrap();
    setup
        .rates
        .0
        .insert(StaffRole::TeachingAssistant, Pence(1437));
    setup.put_year(a_year()).unwrap();
    setup
}

#[test]
fn a_year_is_read_from_dates_as_typed_with_its_closure_and_teaching_weeks() {
    let year = a_year();
    assert_eq!(year.terms.len(), 2);
    assert_eq!(year.terms[1].starts, day(2026, 11, 2));
    assert_eq!(year.terms[1].ends, day(2026, 12, 18));
    assert_eq!(
        year.closures,
        vec![Closure {
            on: day(2026, 11, 2),
            part: DayPart::Whole,
            reason: "INSET".into()
        }]
    );
    let setup = a_setup();
    // 37 weekdays in Autumn 1 and 35 in Autumn 2, less the INSET day.
    assert_eq!(setup.teaching_days_in(2026), 71);
    assert_eq!(teaching_weeks_text(71), "14.2 teaching weeks");
    assert_eq!(teaching_weeks_text(70), "14 teaching weeks");
    assert_eq!(teaching_weeks_text(192), "38.4 teaching weeks");
    assert_eq!(teaching_weeks_text(5), "1 teaching week");
    assert_eq!(teaching_weeks_text(0), "0 teaching weeks");
}

#[test]
fn blank_rows_are_left_out_but_a_half_typed_row_is_not() {
    let mut terms = autumn_only();
    terms.push(term("Spring 1", "", ""));
    let year = read_year(2026, &terms, &[closure("", "whole", "")], false).unwrap();
    assert_eq!(year.terms.len(), 2);
    assert!(year.closures.is_empty());
    terms[2].ends = "12/02/2027".into();
    assert_eq!(
        read_year(2026, &terms, &[], false),
        Err(vec![(
            YearField::TermStarts(2),
            "Enter the term's first day".to_string()
        )])
    );
    let refused = read_year(
        2026,
        &autumn_only(),
        &[closure("", "whole", "INSET")],
        false,
    );
    assert_eq!(
        refused,
        Err(vec![(
            YearField::ClosureOn(0),
            "Enter the date the school is closed".to_string()
        )])
    );
}

#[test]
fn each_problem_is_tied_to_the_field_it_is_about() {
    let mut terms = autumn_only();
    terms[0].starts = "31/09/2026".into();
    terms[1].name = " ".into();
    assert_eq!(
        read_year(2026, &terms, &[], false),
        Err(vec![
            (
                YearField::TermStarts(0),
                "Enter the term's first day as dd/mm/yyyy, such as 03/09/2026".to_string()
            ),
            (YearField::TermName(1), "Enter the term's name".to_string()),
        ])
    );
    // Sound dates that cannot be a year: the check's problem, at the term or closure it names.
    let mut terms = autumn_only();
    terms[1].starts = "20/10/2026".into();
    assert_eq!(
        read_year(2026, &terms, &[], false),
        Err(vec![(
            YearField::TermStarts(1),
            "Autumn 2 starts before Autumn 1 ends".to_string()
        )])
    );
    let mut terms = autumn_only();
    terms[1].ends = "01/10/2026".into();
    assert!(matches!(
        read_year(2026, &terms, &[], false).unwrap_err()[..],
        [(YearField::TermEnds(1), _)]
    ));
    let mut terms = autumn_only();
    terms[1].ends = "18/12/2027".into();
    assert!(matches!(
        read_year(2026, &terms, &[], false).unwrap_err()[..],
        [(YearField::TermEnds(1), _)]
    ));
    let closures = [
        closure("", "whole", ""),
        closure("05/09/2026", "morning", "Fair"),
    ];
    assert_eq!(
        read_year(2026, &autumn_only(), &closures, false),
        Err(vec![(
            YearField::ClosureOn(1),
            "The closure on 05/09/2026 is at a weekend, when the school is closed anyway"
                .to_string()
        )])
    );
    assert!(matches!(
        read_year(2026, &[], &[], false).unwrap_err()[..],
        [(YearField::TermStarts(0), _)]
    ));
}

#[test]
fn rates_are_typed_in_pounds_and_pence_and_may_be_left_blank() {
    assert_eq!(read_optional_rate("14.37"), Ok(Some(Pence(1437))));
    assert_eq!(read_optional_rate(" £15 "), Ok(Some(Pence(1500))));
    assert_eq!(read_optional_rate("  "), Ok(None));
    assert_eq!(
        read_optional_rate("14.375"),
        Err("Enter pounds and pence, with at most two figures after the point".to_string())
    );
    assert_eq!(read_threshold("6,500"), Ok(Pence(650_000)));
    assert!(read_threshold("0.00").is_err());
    assert!(read_threshold("").is_err());
    assert_eq!(amount_for_editing(Pence(1437)), "14.37");
    assert_eq!(amount_for_editing(Pence(600_000)), "6000.00");
    assert_eq!(read_staff_name("  Mrs Patel "), Ok("Mrs Patel".to_string()));
    assert!(read_staff_name(" ").is_err());
    assert!(read_staff_name(&"a".repeat(101)).is_err());
}

#[test]
fn staff_are_added_and_edited_by_id_and_a_leaver_keeps_their_rate() {
    let mut setup = a_setup();
    let mut green = setup.member("fedcba9876543210").unwrap().clone();
    green.left = true;
    setup.put_staff(green).unwrap();
    assert_eq!(setup.staff.len(), 2);
    let green = setup.member("fedcba9876543210").unwrap();
    assert!(green.left);
    assert_eq!(setup.rates.hourly(green), Some(Pence(1562)));
    let patel = setup.member("0123456789abcdef").unwrap();
    assert_eq!(setup.rates.hourly(patel), Some(Pence(1437)));
    // The list is bounded.
    let mut full = ProvisionSetup::default();
    for n in 0..MOST_STAFF {
        full.put_staff(member(&format!("{n:016x}"), "A", StaffRole::Teacher, None))
            .unwrap();
    }
    assert_eq!(
        full.put_staff(member("x", "B", StaffRole::Teacher, None)),
        Err(SetupProblem::TooManyStaff)
    );
}

#[test]
fn a_year_copied_forward_is_to_check_until_the_school_says_its_dates_are_checked() {
    let mut setup = a_setup();
    assert_eq!(setup.copy_forward(2026), Ok(2027));
    let next = setup.year(2027).unwrap();
    assert!(next.to_check);
    assert_eq!(next.terms[0].starts, day(2027, 9, 2));
    assert_eq!(
        setup.copy_forward(2026),
        Err(SetupProblem::NextYearEntered { starts_in: 2027 })
    );
    assert_eq!(setup.copy_forward(2030), Err(SetupProblem::NoSuchYear));
    setup.mark_checked(2027).unwrap();
    assert!(!setup.year(2027).unwrap().to_check);
    // Years stay in order whichever is entered first.
    let earlier = SchoolYearDates {
        starts_in: 2025,
        ..a_year().copied_forward()
    };
    let mut earlier = earlier;
    earlier.terms = vec![Term {
        name: "Summer 2".into(),
        starts: day(2026, 6, 8),
        ends: day(2026, 7, 22),
    }];
    earlier.closures.clear();
    setup.put_year(earlier).unwrap();
    let order: Vec<i32> = setup.calendar.years.iter().map(|y| y.starts_in).collect();
    assert_eq!(order, vec![2025, 2026, 2027]);
    assert_eq!(setup.check(), Ok(()));
}

#[test]
fn a_sound_set_up_passes_its_check() {
    assert_eq!(ProvisionSetup::default().check(), Ok(()));
    assert_eq!(a_setup().check(), Ok(()));
}

#[test]
fn a_set_up_from_a_backup_is_refused_when_its_staff_are_too_many_or_unsound() {
    let mut setup = a_setup();
    setup.staff = (0..=MOST_STAFF)
        .map(|n| member(&format!("{n:016x}"), "A", StaffRole::Teacher, None))
        .collect();
    assert!(setup.check().unwrap_err().contains("at most 500"));
    let mut setup = a_setup();
    setup.staff[1].id = setup.staff[0].id.clone();
    assert!(setup.check().unwrap_err().contains("share an id"));
    let mut setup = a_setup();
    setup.staff[0].id = String::new();
    assert!(setup.check().is_err());
    let mut setup = a_setup();
    setup.staff[0].name = " ".into();
    assert!(setup.check().is_err());
    let mut setup = a_setup();
    setup.staff[0].name = "x".repeat(MOST_NAME_CHARS + 1);
    assert!(setup.check().is_err());
    let mut setup = a_setup();
    setup.staff[0].hourly = Some(Pence(-1));
    assert!(setup.check().is_err());
    let mut setup = a_setup();
    setup.rates = RoleRates([(StaffRole::Teacher, Pence(1_000_000_001))].into());
    assert!(setup.check().unwrap_err().contains("Teacher"));
    let mut setup = a_setup();
    setup.threshold = Pence(-600_000);
    assert!(setup.check().unwrap_err().contains("threshold"));
}

#[test]
fn a_set_up_from_a_backup_is_refused_when_its_term_dates_are_too_many_or_unsound() {
    let mut setup = a_setup();
    setup.calendar.years = (2000..2000 + MOST_YEARS as i32 + 1)
        .map(|y| SchoolYearDates {
            starts_in: y,
            terms: vec![Term {
                name: "Autumn".into(),
                starts: day(y, 9, 3),
                ends: day(y, 12, 18),
            }],
            closures: vec![],
            to_check: false,
        })
        .collect();
    assert!(setup.check().unwrap_err().contains("at most 20"));
    setup.calendar.years.truncate(MOST_YEARS);
    assert_eq!(setup.check(), Ok(()));
    setup.calendar.years[1].starts_in = 2000;
    assert!(setup.check().unwrap_err().contains("twice"));

    let mut setup = a_setup();
    let year = &mut setup.calendar.years[0];
    year.terms = (0..=MOST_TERMS as u32)
        .map(|n| Term {
            name: format!("Term {n}"),
            starts: day(2026, 9, 1 + 2 * n),
            ends: day(2026, 9, 1 + 2 * n),
        })
        .collect();
    assert!(setup.check().unwrap_err().contains("13 terms"));

    let mut setup = a_setup();
    let closure = setup.calendar.years[0].closures[0].clone();
    setup.calendar.years[0].closures = vec![closure; MOST_CLOSURES + 1];
    assert!(setup.check().unwrap_err().contains("closure days"));

    let mut setup = a_setup();
    setup.calendar.years[0].closures[0].reason = "x".repeat(MOST_REASON_CHARS + 1);
    assert!(setup.check().is_err());

    let mut setup = a_setup();
    setup.calendar.years[0].terms[0].name = String::new();
    assert!(setup.check().is_err());

    let mut setup = a_setup();
    setup.calendar.years[0].terms[1].starts = day(2026, 10, 1);
    assert_eq!(
        setup.check(),
        Err("2026 to 2027: Autumn 2 starts before Autumn 1 ends".to_string())
    );

    let mut setup = a_setup();
    setup.calendar.years[0].starts_in = 1066;
    assert!(setup.check().is_err());
}

#[test]
fn a_set_up_is_kept_through_its_stored_form() {
    let mut setup = a_setup();
    setup.copy_forward(2026).unwrap();
    setup.hide_money = true;
    setup.cost_year = CostYearKind::Financial;
    setup.threshold = Pence(650_000);
    let json = serde_json::to_string(&setup).unwrap();
    let back: ProvisionSetup = serde_json::from_str(&json).unwrap();
    assert_eq!(back, setup);
    assert!(back.year(2027).unwrap().to_check);
}
