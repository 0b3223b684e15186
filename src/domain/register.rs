//! The SEN register: one row per pupil, filtered and sorted as the SENCO asks, with the
//! summary governors and the census want.
//!
//! Rows are built once per change to the desk, with their sort and search keys ready,
//! so filtering and sorting after a keystroke only compares prepared values.

use super::desk::Desk;
use super::names::NameOrder;
use super::need::{BroadArea, NeedType};
use super::pupil::{Flag, Flags, PupilId};
use super::sen::SenStatus;
use super::year_group::YearGroup;
use chrono::NaiveDate;
use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterRow {
    pub id: PupilId,
    /// "Surname, Forename" as shown, with the legal forename beside a different preferred
    /// one and a date of birth or UPN ending where another pupil's name reads the same.
    pub name: String,
    pub year: YearGroup,
    pub class_name: String,
    pub status: SenStatus,
    pub primary: Option<NeedType>,
    pub secondary: Option<NeedType>,
    /// Every need in force, at any rank.
    pub needs: Vec<NeedType>,
    pub areas: Vec<BroadArea>,
    pub flags: Flags,
    pub archived: bool,
    pub upn: Option<String>,
    /// Whether the UPN on file failed its check (kept as given by an import).
    pub upn_unchecked: bool,
    /// The date of birth is blank, to correct (an import could not read it).
    pub date_of_birth_to_correct: bool,
    /// The date of birth is more than a year out of the year group.
    pub year_group_misfit: bool,
    name_key: String,
    class_key: String,
    flag_key: String,
    search_key: String,
}

/// Who the register shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Scope {
    /// Everyone whose current status is not N (monitoring, SEN support, EHC plan).
    #[default]
    SenRegister,
    WholeRoll,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterFilter {
    pub scope: Scope,
    pub include_archived: bool,
    pub status: Option<SenStatus>,
    /// A need at any rank.
    pub need: Option<NeedType>,
    pub area: Option<BroadArea>,
    pub year: Option<YearGroup>,
    pub flag: Option<Flag>,
    /// Part of a name or UPN.
    pub search: String,
}

impl RegisterFilter {
    /// How many of the drop-down filters (status, need, area, year group, flag) are
    /// narrowing the list: said on the button of the folded panel that holds them, so a
    /// filter is never in use unseen.
    pub fn narrowing_choices(&self) -> usize {
        [
            self.status.is_some(),
            self.need.is_some(),
            self.area.is_some(),
            self.year.is_some(),
            self.flag.is_some(),
        ]
        .into_iter()
        .filter(|on| *on)
        .count()
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortColumn {
    #[default]
    Name,
    Year,
    Class,
    Status,
    PrimaryNeed,
    SecondaryNeed,
    Flags,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sort {
    pub column: SortColumn,
    pub descending: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Register {
    rows: Vec<RegisterRow>,
}

/// A count and its share of the roll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    pub count: usize,
    pub roll: usize,
}

impl Count {
    /// The percentage to one decimal place, as "12.5%".
    pub fn percent(&self) -> String {
        if self.roll == 0 {
            return "0.0%".into();
        }
        let tenths = (self.count * 1000 + self.roll / 2) / self.roll;
        format!("{}.{}%", tenths / 10, tenths % 10)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearSummary {
    pub year: YearGroup,
    pub roll: usize,
    pub sen_support: usize,
    pub ehc_plan: usize,
}

/// Counts for governors and the census: K and E pupils by primary need and area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Pupils on roll (not archived).
    pub roll: usize,
    pub by_status: Vec<(SenStatus, Count)>,
    /// K and E pupils by the area of their primary need (OTH and NSA under None).
    pub by_area: Vec<(Option<BroadArea>, Count)>,
    /// K and E pupils by primary need; "no primary need recorded" under None.
    pub by_need: Vec<(Option<NeedType>, Count)>,
    pub by_year: Vec<YearSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CensusEntry {
    pub id: PupilId,
    pub name: String,
    pub detail: String,
}

/// What the school census would query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CensusCheck {
    pub no_primary_need: Vec<CensusEntry>,
    pub nsa_on_ehc_plan: Vec<CensusEntry>,
    pub invalid_upns: Vec<CensusEntry>,
    /// Dates of birth left blank, to correct: listed until set.
    pub dates_of_birth_to_correct: Vec<CensusEntry>,
    /// Dates of birth more than a year out of the year group.
    pub year_group_misfits: Vec<CensusEntry>,
}

impl CensusCheck {
    pub fn is_clear(&self) -> bool {
        self.no_primary_need.is_empty()
            && self.nsa_on_ehc_plan.is_empty()
            && self.invalid_upns.is_empty()
            && self.dates_of_birth_to_correct.is_empty()
            && self.year_group_misfits.is_empty()
    }
}

impl Register {
    /// The register as it stands on `today`.
    pub fn build(desk: &Desk, today: NaiveDate) -> Register {
        let mut labels = desk.name_labels(NameOrder::SurnameFirst);
        let rows = desk
            .files()
            .map(|file| {
                let pupil = &file.pupil;
                let needs = file.sen.needs_on(today);
                let name = labels
                    .remove(&pupil.id)
                    .unwrap_or_else(|| pupil.sort_name());
                let upn = pupil
                    .upn
                    .as_ref()
                    .map(|u| u.to_string())
                    .or_else(|| pupil.unchecked_upn.clone());
                let search_key = format!(
                    "{}|{}|{}|{}",
                    name,
                    pupil.full_name(),
                    pupil.legal_name(),
                    upn.as_deref().unwrap_or("")
                )
                .to_lowercase();
                RegisterRow {
                    id: pupil.id.clone(),
                    name_key: format!("{}\u{0}{}", pupil.surname, pupil.known_as()).to_lowercase(),
                    name,
                    year: pupil.year_group,
                    class_name: pupil.class_name.clone(),
                    class_key: pupil.class_name.to_lowercase(),
                    flag_key: pupil.flags.codes(),
                    status: file.sen.status_on(today),
                    primary: needs.first().map(|n| n.need_type),
                    secondary: needs.get(1).map(|n| n.need_type),
                    needs: needs.iter().map(|n| n.need_type).collect(),
                    areas: file.sen.areas_on(today),
                    flags: pupil.flags,
                    archived: pupil.is_archived(),
                    upn_unchecked: pupil.upn.is_none() && pupil.unchecked_upn.is_some(),
                    date_of_birth_to_correct: pupil.date_of_birth_to_correct(),
                    year_group_misfit: pupil.year_group_misfit(today),
                    upn,
                    search_key,
                }
            })
            .collect();
        Register { rows }
    }

    pub fn rows(&self) -> &[RegisterRow] {
        &self.rows
    }

    /// The rows the filter lets through, in the sort's order (ties by name, then id).
    pub fn view(&self, filter: &RegisterFilter, sort: Sort) -> Vec<&RegisterRow> {
        self.select(filter, sort)
            .into_iter()
            .map(|i| &self.rows[i])
            .collect()
    }

    /// The "Find a pupil" box in the header: everyone on the roll (on the SEN register or
    /// not) whose name, as shown, in full or legal, or UPN holds `query`; pupils on roll
    /// first, then leavers, each by name; at most `limit`. Nothing for a blank query.
    pub fn find(&self, query: &str, limit: usize) -> Vec<&RegisterRow> {
        let query = query.trim().to_lowercase();
        if query.is_empty() {
            return Vec::new();
        }
        let mut found: Vec<&RegisterRow> = self
            .rows
            .iter()
            .filter(|row| row.search_key.contains(&query))
            .collect();
        found.sort_by(|a, b| {
            a.archived
                .cmp(&b.archived)
                .then_with(|| a.name_key.cmp(&b.name_key))
                .then_with(|| a.id.cmp(&b.id))
        });
        found.truncate(limit);
        found
    }

    /// As [`Register::view`], as positions in [`Register::rows`]: cheap to keep and compare.
    pub fn select(&self, filter: &RegisterFilter, sort: Sort) -> Vec<usize> {
        let search = filter.search.trim().to_lowercase();
        let mut picked: Vec<usize> = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, row)| {
                (filter.include_archived || !row.archived)
                    && (filter.scope == Scope::WholeRoll || row.status != SenStatus::NoSen)
                    && filter.status.is_none_or(|s| row.status == s)
                    && filter.need.is_none_or(|n| row.needs.contains(&n))
                    && filter.area.is_none_or(|a| row.areas.contains(&a))
                    && filter.year.is_none_or(|y| row.year == y)
                    && filter.flag.is_none_or(|f| row.flags.has(f))
                    && (search.is_empty() || row.search_key.contains(&search))
            })
            .map(|(i, _)| i)
            .collect();
        let by_name = |a: &RegisterRow, b: &RegisterRow| {
            a.name_key.cmp(&b.name_key).then_with(|| a.id.cmp(&b.id))
        };
        // Blank needs sort last going up, as spreadsheets do.
        let need_key = |n: Option<NeedType>| (n.is_none(), n.map(|n| n.code()));
        picked.sort_by(|&a, &b| {
            let (a, b) = (&self.rows[a], &self.rows[b]);
            let order = match sort.column {
                SortColumn::Name => Ordering::Equal,
                SortColumn::Year => a.year.cmp(&b.year),
                SortColumn::Class => a.class_key.cmp(&b.class_key),
                SortColumn::Status => a.status.cmp(&b.status),
                SortColumn::PrimaryNeed => need_key(a.primary).cmp(&need_key(b.primary)),
                SortColumn::SecondaryNeed => need_key(a.secondary).cmp(&need_key(b.secondary)),
                SortColumn::Flags => a.flag_key.cmp(&b.flag_key),
            };
            let order = order.then_with(|| by_name(a, b));
            if sort.descending {
                order.reverse()
            } else {
                order
            }
        });
        picked
    }

    /// Counts over the pupils on roll (archived pupils are not on roll).
    pub fn summary(&self) -> Summary {
        let on_roll: Vec<&RegisterRow> = self.rows.iter().filter(|r| !r.archived).collect();
        let roll = on_roll.len();
        let count = |count| Count { count, roll };
        let sen: Vec<&&RegisterRow> = on_roll
            .iter()
            .filter(|r| r.status.is_census_sen())
            .collect();
        let by_status = SenStatus::ALL
            .into_iter()
            .map(|s| (s, count(on_roll.iter().filter(|r| r.status == s).count())))
            .collect();
        let mut by_area: Vec<(Option<BroadArea>, Count)> = BroadArea::ALL
            .into_iter()
            .map(Some)
            .chain([None])
            .map(|a| {
                let n = sen
                    .iter()
                    .filter(|r| r.primary.is_some() && r.primary.and_then(|p| p.area()) == a)
                    .count();
                (a, count(n))
            })
            .collect();
        by_area.retain(|(a, c)| a.is_some() || c.count > 0);
        let mut by_need: Vec<(Option<NeedType>, Count)> = NeedType::ALL
            .into_iter()
            .map(Some)
            .chain([None])
            .map(|n| (n, count(sen.iter().filter(|r| r.primary == n).count())))
            .filter(|(_, c)| c.count > 0)
            .collect();
        by_need.sort_by_key(|(need, c)| (std::cmp::Reverse(c.count), need.is_none(), *need));
        let mut by_year: Vec<YearSummary> = Vec::new();
        for year in YearGroup::all() {
            let in_year: Vec<&&RegisterRow> = on_roll.iter().filter(|r| r.year == year).collect();
            if in_year.is_empty() {
                continue;
            }
            by_year.push(YearSummary {
                year,
                roll: in_year.len(),
                sen_support: in_year
                    .iter()
                    .filter(|r| r.status == SenStatus::SenSupport)
                    .count(),
                ehc_plan: in_year
                    .iter()
                    .filter(|r| r.status == SenStatus::EhcPlan)
                    .count(),
            });
        }
        Summary {
            roll,
            by_status,
            by_area,
            by_need,
            by_year,
        }
    }

    /// K and E pupils without a primary need, NSA on an EHC plan, and UPNs that fail
    /// their check, among pupils on roll.
    pub fn census_check(&self) -> CensusCheck {
        let mut check = CensusCheck::default();
        let mut rows: Vec<&RegisterRow> = self.rows.iter().filter(|r| !r.archived).collect();
        rows.sort_by(|a, b| a.name_key.cmp(&b.name_key));
        for row in rows {
            let entry = |detail: String| CensusEntry {
                id: row.id.clone(),
                name: row.name.clone(),
                detail,
            };
            if row.status.is_census_sen() && row.primary.is_none() {
                check
                    .no_primary_need
                    .push(entry(format!("{}, no primary need recorded", row.status)));
            }
            if row.status == SenStatus::EhcPlan
                && (row.primary == Some(NeedType::Nsa) || row.secondary == Some(NeedType::Nsa))
            {
                check.nsa_on_ehc_plan.push(entry(
                    "EHC plan with NSA as a need: NSA is only for SEN support".into(),
                ));
            }
            if row.upn_unchecked {
                check.invalid_upns.push(entry(format!(
                    "UPN {} fails its check",
                    row.upn.as_deref().unwrap_or("")
                )));
            }
            if row.date_of_birth_to_correct {
                check.dates_of_birth_to_correct.push(entry(
                    "date of birth unknown, to correct: the age and the retention date are unknown until it is set"
                        .into(),
                ));
            }
            if row.year_group_misfit {
                check.year_group_misfits.push(entry(format!(
                    "the date of birth is more than a year out of {}",
                    row.year
                )));
            }
        }
        check
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sen::{Need, NeedsChange, StatusChange};
    use crate::domain::{Pupil, PupilFile, Settings};
    use chrono::{DateTime, Utc};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn file(
        id: &str,
        name: (&str, &str),
        year: YearGroup,
        status: SenStatus,
        needs: &[NeedType],
    ) -> PupilFile {
        let born = NaiveDate::from_ymd_opt(2016, 1, 1).unwrap();
        let mut pupil = Pupil::new(PupilId(id.into()), name.0, name.1, born, year);
        pupil.class_name = format!("{}A", year.code());
        let mut file = PupilFile::new(pupil, Utc::now());
        let at = DateTime::from_timestamp(1_780_000_000, 0).unwrap();
        let from = NaiveDate::from_ymd_opt(2025, 9, 1).unwrap();
        if status != SenStatus::NoSen {
            file.sen.status_changes.push(StatusChange {
                from,
                status,
                reason: String::new(),
                recorded_at: at,
            });
        }
        if !needs.is_empty() {
            file.sen.needs_changes.push(NeedsChange {
                from,
                needs: needs
                    .iter()
                    .map(|&need_type| Need {
                        need_type,
                        description: String::new(),
                    })
                    .collect(),
                reason: String::new(),
                recorded_at: at,
            });
        }
        file
    }

    fn desk() -> Desk {
        let mut desk = Desk::new(Settings::new("Oakfield"));
        let y = YearGroup::Year;
        let mut files = vec![
            file(
                "a",
                ("Amira", "Okafor"),
                y(3),
                SenStatus::SenSupport,
                &[NeedType::Slcn, NeedType::Semh],
            ),
            file(
                "b",
                ("Ben", "Adams"),
                y(5),
                SenStatus::EhcPlan,
                &[NeedType::Asd],
            ),
            file("c", ("Chloe", "Brown"), y(3), SenStatus::Monitoring, &[]),
            file("d", ("Dev", "Patel"), y(4), SenStatus::NoSen, &[]),
            file(
                "e",
                ("Ella", "Jones"),
                YearGroup::Reception,
                SenStatus::SenSupport,
                &[],
            ),
            file(
                "f",
                ("Finn", "Moss"),
                y(6),
                SenStatus::EhcPlan,
                &[NeedType::Spld],
            ),
            file(
                "g",
                ("Grace", "Hall"),
                y(6),
                SenStatus::SenSupport,
                &[NeedType::Spld],
            ),
        ];
        files[3].pupil.flags.eal = true;
        files[0].pupil.flags.pupil_premium = true;
        files[0].pupil.unchecked_upn = Some("A801200005001".into());
        files[5].pupil.archived = NaiveDate::from_ymd_opt(2026, 7, 22);
        // NSA on an EHC plan: the census would query it.
        files[1].sen.needs_changes[0].needs.push(Need {
            need_type: NeedType::Nsa,
            description: String::new(),
        });
        for file in files {
            desk.put(file);
        }
        desk
    }

    fn names(rows: &[&RegisterRow]) -> Vec<String> {
        rows.iter().map(|r| r.name.clone()).collect()
    }

    #[test]
    fn the_default_view_is_everyone_not_n_on_roll_by_surname() {
        let register = Register::build(&desk(), today());
        let rows = register.view(&RegisterFilter::default(), Sort::default());
        assert_eq!(
            names(&rows),
            [
                "Adams, Ben",
                "Brown, Chloe",
                "Hall, Grace",
                "Jones, Ella",
                "Okafor, Amira"
            ]
        );
        let whole = RegisterFilter {
            scope: Scope::WholeRoll,
            include_archived: true,
            ..RegisterFilter::default()
        };
        assert_eq!(register.view(&whole, Sort::default()).len(), 7);
    }

    #[test]
    fn filters_combine_and_search_finds_names_and_upns() {
        let register = Register::build(&desk(), today());
        let with = |filter: RegisterFilter| names(&register.view(&filter, Sort::default()));
        assert_eq!(
            with(RegisterFilter {
                status: Some(SenStatus::SenSupport),
                ..Default::default()
            }),
            ["Hall, Grace", "Jones, Ella", "Okafor, Amira"]
        );
        // A need at any rank.
        assert_eq!(
            with(RegisterFilter {
                need: Some(NeedType::Semh),
                ..Default::default()
            }),
            ["Okafor, Amira"]
        );
        assert_eq!(
            with(RegisterFilter {
                area: Some(BroadArea::CommunicationAndInteraction),
                ..Default::default()
            }),
            ["Adams, Ben", "Okafor, Amira"]
        );
        assert_eq!(
            with(RegisterFilter {
                year: Some(YearGroup::Year(3)),
                ..Default::default()
            }),
            ["Brown, Chloe", "Okafor, Amira"]
        );
        assert_eq!(
            with(RegisterFilter {
                flag: Some(Flag::Eal),
                scope: Scope::WholeRoll,
                ..Default::default()
            }),
            ["Patel, Dev"]
        );
        assert_eq!(
            with(RegisterFilter {
                search: " AMIRA okafor ".into(),
                ..Default::default()
            }),
            ["Okafor, Amira"]
        );
        assert_eq!(
            with(RegisterFilter {
                search: "a8012".into(),
                ..Default::default()
            }),
            ["Okafor, Amira"]
        );
        assert!(with(RegisterFilter {
            search: "moss".into(),
            ..Default::default()
        })
        .is_empty());
        assert_eq!(
            with(RegisterFilter {
                search: "moss".into(),
                include_archived: true,
                ..Default::default()
            }),
            ["Moss, Finn"]
        );
    }

    #[test]
    fn sorts_by_any_column_either_way_with_ties_by_name() {
        let register = Register::build(&desk(), today());
        let sorted = |column, descending| {
            names(&register.view(&RegisterFilter::default(), Sort { column, descending }))
        };
        assert_eq!(
            sorted(SortColumn::Year, false),
            [
                "Jones, Ella",
                "Brown, Chloe",
                "Okafor, Amira",
                "Adams, Ben",
                "Hall, Grace"
            ]
        );
        assert_eq!(
            sorted(SortColumn::Status, true),
            [
                "Adams, Ben",
                "Okafor, Amira",
                "Jones, Ella",
                "Hall, Grace",
                "Brown, Chloe"
            ]
        );
        // Blank needs last going up.
        assert_eq!(
            sorted(SortColumn::PrimaryNeed, false),
            [
                "Adams, Ben",
                "Okafor, Amira",
                "Hall, Grace",
                "Brown, Chloe",
                "Jones, Ella"
            ]
        );
        assert_eq!(sorted(SortColumn::Name, true)[0], "Okafor, Amira");
    }

    #[test]
    fn the_summary_counts_pupils_on_roll_with_percentages() {
        let summary = Register::build(&desk(), today()).summary();
        assert_eq!(summary.roll, 6);
        let status = |s| summary.by_status.iter().find(|(x, _)| *x == s).unwrap().1;
        assert_eq!(status(SenStatus::SenSupport).count, 3);
        assert_eq!(status(SenStatus::SenSupport).percent(), "50.0%");
        assert_eq!(status(SenStatus::EhcPlan).percent(), "16.7%");
        assert_eq!(status(SenStatus::Monitoring).count, 1);
        let area = |a| {
            summary
                .by_area
                .iter()
                .find(|(x, _)| *x == a)
                .unwrap()
                .1
                .count
        };
        assert_eq!(area(Some(BroadArea::CommunicationAndInteraction)), 2);
        assert_eq!(area(Some(BroadArea::CognitionAndLearning)), 1);
        assert_eq!(area(Some(BroadArea::SensoryPhysical)), 0);
        assert_eq!(
            summary.by_need,
            vec![
                (Some(NeedType::Spld), Count { count: 1, roll: 6 }),
                (Some(NeedType::Slcn), Count { count: 1, roll: 6 }),
                (Some(NeedType::Asd), Count { count: 1, roll: 6 }),
                (None, Count { count: 1, roll: 6 }),
            ]
        );
        let year6 = summary
            .by_year
            .iter()
            .find(|y| y.year == YearGroup::Year(6))
            .unwrap();
        assert_eq!((year6.roll, year6.sen_support, year6.ehc_plan), (1, 1, 0));
    }

    #[test]
    fn the_census_check_lists_what_the_census_would_query() {
        let check = Register::build(&desk(), today()).census_check();
        let named =
            |entries: &[CensusEntry]| entries.iter().map(|e| e.name.clone()).collect::<Vec<_>>();
        assert_eq!(named(&check.no_primary_need), ["Jones, Ella"]);
        assert_eq!(named(&check.nsa_on_ehc_plan), ["Adams, Ben"]);
        assert_eq!(named(&check.invalid_upns), ["Okafor, Amira"]);
        assert!(check.invalid_upns[0].detail.contains("A801200005001"));
        assert!(!check.is_clear());
    }

    #[test]
    fn point_1_and_point_9_the_census_check_lists_dates_of_birth_to_correct_and_misfits() {
        let mut desk = Desk::new(Settings::new("Oakfield"));
        let mut unknown = file(
            "u",
            ("Amara", "Okafor"),
            YearGroup::Year(5),
            SenStatus::SenSupport,
            &[NeedType::Slcn],
        );
        unknown.pupil.date_of_birth = None;
        // Born 01/01/2016: year 6 in 2026-27, so year 5 fits and year 3 does not.
        let fits = file(
            "f",
            ("Jo", "Smith"),
            YearGroup::Year(5),
            SenStatus::NoSen,
            &[],
        );
        let misfit = file(
            "m",
            ("Kai", "Lee"),
            YearGroup::Year(3),
            SenStatus::NoSen,
            &[],
        );
        for f in [unknown, fits, misfit] {
            desk.put(f);
        }
        let check = Register::build(&desk, today()).census_check();
        let named =
            |entries: &[CensusEntry]| entries.iter().map(|e| e.name.clone()).collect::<Vec<_>>();
        assert_eq!(named(&check.dates_of_birth_to_correct), ["Okafor, Amara"]);
        assert!(check.dates_of_birth_to_correct[0]
            .detail
            .contains("unknown"));
        assert_eq!(named(&check.year_group_misfits), ["Lee, Kai"]);
        assert!(!check.is_clear());
        // Set, the date of birth leaves the list.
        let mut set = desk.file(&PupilId("u".into())).unwrap().clone();
        set.pupil.date_of_birth = NaiveDate::from_ymd_opt(2016, 1, 1);
        desk.put(set);
        let check = Register::build(&desk, today()).census_check();
        assert!(check.dates_of_birth_to_correct.is_empty());
    }

    #[test]
    fn point_6_the_folded_filters_say_how_many_are_in_use() {
        let mut filter = RegisterFilter::default();
        assert_eq!(filter.narrowing_choices(), 0);
        filter.search = "ok".into();
        filter.include_archived = true;
        assert_eq!(filter.narrowing_choices(), 0);
        filter.need = Some(NeedType::Slcn);
        filter.year = YearGroup::from_code("3");
        assert_eq!(filter.narrowing_choices(), 2);
    }

    #[test]
    fn point_11_find_a_pupil_searches_the_whole_roll_by_name_or_upn_leavers_last() {
        let register = Register::build(&desk(), today());
        assert!(register.find("  ", 8).is_empty());
        // Not on the SEN register, still found.
        assert_eq!(names(&register.find("dev", 8)), ["Patel, Dev"]);
        assert_eq!(names(&register.find(" a8012000 ", 8)), ["Okafor, Amira"]);
        // "o" is in Okafor, Brown, Jones and Moss (a leaver, so last).
        assert_eq!(
            names(&register.find("o", 8)),
            ["Brown, Chloe", "Jones, Ella", "Okafor, Amira", "Moss, Finn"]
        );
        assert_eq!(
            names(&register.find("o", 2)),
            ["Brown, Chloe", "Jones, Ella"]
        );
    }
}
