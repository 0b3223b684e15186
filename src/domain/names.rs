//! Telling pupils apart: the name each pupil is shown by in a list, with the legal
//! name beside a different preferred name, and a disambiguator (date of birth, or the
//! UPN's last characters) only where two names shown together would read the same.
//!
//! Twins and cousins with the same name in one class are common; every list, picker and
//! print takes its labels from [`name_labels`] so no two rows look alike.

use super::dates::format_uk;
use super::desk::Desk;
use super::pupil::{Pupil, PupilId};
use std::collections::HashMap;

/// How a list orders the parts of a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameOrder {
    /// "Smith, Alfie (Alfred)", as registers list pupils.
    SurnameFirst,
    /// "Alfie (Alfred) Smith", as people speak of a pupil.
    ForenameFirst,
    /// "Alfie Smith": the name the pupil is known by only, for a page or print about the
    /// pupil (whose details show the legal name) and for lists staff read at a glance.
    KnownAs,
}

impl Pupil {
    /// The name as shown: the preferred forename, with the legal forename in brackets
    /// when it differs ("Alfie (Alfred) Smith").
    pub fn shown_name(&self, order: NameOrder) -> String {
        let known = self.known_as();
        let forenames = if known.trim().eq_ignore_ascii_case(self.forename.trim()) {
            known.to_string()
        } else {
            format!("{known} ({})", self.forename)
        };
        match order {
            NameOrder::SurnameFirst => format!("{}, {forenames}", self.surname),
            NameOrder::ForenameFirst => format!("{forenames} {}", self.surname),
            NameOrder::KnownAs => format!("{known} {}", self.surname),
        }
    }

    /// The last four characters of the UPN (checked, or as given by an import).
    fn upn_ending(&self) -> Option<String> {
        let upn = self
            .upn
            .as_ref()
            .map(|u| u.to_string())
            .or_else(|| self.unchecked_upn.clone())?;
        let chars: Vec<char> = upn.trim().chars().collect();
        (!chars.is_empty()).then(|| chars[chars.len().saturating_sub(4)..].iter().collect())
    }
}

/// Each pupil's label among `pupils` (the pupils shown together): the shown name, and
/// where another pupil's shown name reads the same (ignoring case and spacing), the date
/// of birth; where the date of birth is shared too (twins), the UPN's last characters.
pub fn name_labels<'a>(
    pupils: impl IntoIterator<Item = &'a Pupil>,
    order: NameOrder,
) -> HashMap<PupilId, String> {
    // Each name is made once: the home lists label every pupil after every edit.
    let named: Vec<(&Pupil, String, String)> = pupils
        .into_iter()
        .map(|pupil| {
            let name = pupil.shown_name(order);
            let key = squash(&name);
            (pupil, name, key)
        })
        .collect();
    // Names collide when they read the same as shown in this order.
    let mut groups: HashMap<&str, Vec<&Pupil>> = HashMap::with_capacity(named.len());
    for (pupil, _, key) in &named {
        groups.entry(key.as_str()).or_default().push(pupil);
    }
    let mut labels = HashMap::with_capacity(named.len());
    for (pupil, name, key) in &named {
        let group = &groups[key.as_str()];
        let label = if group.len() < 2 {
            name.clone()
        } else {
            let born = match pupil.date_of_birth {
                Some(date) => format!("born {}", format_uk(date)),
                None => "date of birth to correct".to_string(),
            };
            let twin = group
                .iter()
                .any(|o| o.id != pupil.id && o.date_of_birth == pupil.date_of_birth);
            match (twin, pupil.upn_ending()) {
                (true, Some(ending)) => format!("{name} ({born}, UPN ending {ending})"),
                (true, None) => format!("{name} ({born}, no UPN)"),
                (false, _) => format!("{name} ({born})"),
            }
        };
        labels.insert(pupil.id.clone(), label);
    }
    labels
}

/// A shown name as compared for clashes: spaces squashed, lower case.
fn squash(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        // Lowered a word at a time, not a letter at a time, so a final capital sigma
        // lowers as it does in any Greek name.
        out.push_str(&word.to_lowercase());
    }
    out
}

impl Desk {
    /// Every pupil's label among everyone on the desk, archived or not: a list showing
    /// some of them never shows two alike, and a pupil keeps one label on every screen.
    pub fn name_labels(&self, order: NameOrder) -> HashMap<PupilId, String> {
        name_labels(self.files().map(|f| &f.pupil), order)
    }

    /// One pupil's label among everyone on the desk, for a page about that pupil.
    pub fn name_label(&self, id: &PupilId, order: NameOrder) -> String {
        let Some(file) = self.file(id) else {
            return String::new();
        };
        let target = squash(&file.pupil.shown_name(order));
        let same = self
            .files()
            .map(|f| &f.pupil)
            .filter(|p| squash(&p.shown_name(order)) == target);
        name_labels(same, order).remove(id).unwrap_or_default()
    }

    /// Pupils already on the desk with the same legal name (ignoring case) and date of
    /// birth as `pupil`, other than `pupil` itself: adding them again asks first.
    pub fn same_name_and_birth(&self, pupil: &Pupil) -> Vec<&Pupil> {
        let same = |a: &str, b: &str| a.trim().to_lowercase() == b.trim().to_lowercase();
        self.files()
            .map(|f| &f.pupil)
            .filter(|p| {
                p.id != pupil.id
                    && p.date_of_birth == pupil.date_of_birth
                    && same(&p.surname, &pupil.surname)
                    && (same(&p.forename, &pupil.forename) || same(p.known_as(), pupil.known_as()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{PupilFile, Settings, Upn, YearGroup};
    use chrono::{DateTime, NaiveDate};

    fn day(d: u32, m: u32, y: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn pupil(id: &str, forename: &str, surname: &str, born: NaiveDate) -> Pupil {
        let mut p = Pupil::new(
            PupilId(id.into()),
            forename,
            surname,
            born,
            YearGroup::Year(3),
        );
        p.class_name = "3B".into();
        p
    }

    #[test]
    fn point_3_a_different_preferred_name_shows_the_legal_name_beside_it() {
        let mut alfie = pupil("a", "Alfred", "Smith", day(3, 4, 2018));
        alfie.preferred_forename = "Alfie".into();
        assert_eq!(
            alfie.shown_name(NameOrder::ForenameFirst),
            "Alfie (Alfred) Smith"
        );
        assert_eq!(
            alfie.shown_name(NameOrder::SurnameFirst),
            "Smith, Alfie (Alfred)"
        );
        let mia = pupil("b", "Mia", "Jones", day(3, 4, 2018));
        assert_eq!(mia.shown_name(NameOrder::SurnameFirst), "Jones, Mia");
    }

    #[test]
    fn point_3_names_that_do_not_collide_carry_no_disambiguator() {
        let a = pupil("a", "Mia", "Jones", day(3, 4, 2018));
        let b = pupil("b", "Mia", "Smith", day(3, 4, 2018));
        let labels = name_labels([&a, &b], NameOrder::SurnameFirst);
        assert_eq!(labels[&a.id], "Jones, Mia");
        assert_eq!(labels[&b.id], "Smith, Mia");
    }

    #[test]
    fn point_3_cousins_with_one_name_are_told_apart_by_date_of_birth() {
        let a = pupil("a", "Mia", "Jones", day(3, 4, 2018));
        let b = pupil("b", "mia", "JONES", day(9, 11, 2018));
        let c = pupil("c", "Leo", "Jones", day(9, 11, 2018));
        let labels = name_labels([&a, &b, &c], NameOrder::ForenameFirst);
        assert_eq!(labels[&a.id], "Mia Jones (born 03/04/2018)");
        assert_eq!(labels[&b.id], "mia JONES (born 09/11/2018)");
        assert_eq!(labels[&c.id], "Leo Jones");
    }

    #[test]
    fn point_3_names_that_differ_only_in_spaces_or_case_are_told_apart_on_every_screen() {
        let a = pupil("a", "Mia", "Jones", day(3, 4, 2018));
        let b = pupil("b", " MIA ", "jones  ", day(9, 11, 2018));
        let labels = name_labels([&a, &b], NameOrder::ForenameFirst);
        assert_eq!(labels[&a.id], "Mia Jones (born 03/04/2018)");
        assert!(
            labels[&b.id].ends_with("(born 09/11/2018)"),
            "{}",
            labels[&b.id]
        );
        // A name ending in a capital sigma clashes with the same name in lower case.
        let c = pupil("c", "ΝΙΚΟΣ", "Papadopoulos", day(3, 4, 2018));
        let d = pupil("d", "Νικος", "Papadopoulos", day(9, 11, 2018));
        let labels = name_labels([&c, &d], NameOrder::ForenameFirst);
        assert!(
            labels[&c.id].ends_with("(born 03/04/2018)"),
            "{}",
            labels[&c.id]
        );
        assert!(
            labels[&d.id].ends_with("(born 09/11/2018)"),
            "{}",
            labels[&d.id]
        );
    }

    #[test]
    fn point_3_twins_known_by_one_name_are_told_apart_by_their_upns() {
        let mut a = pupil("a", "Oliver", "Hart", day(1, 2, 2018));
        a.preferred_forename = "Ollie".into();
        a.upn = Some(Upn::parse("B801200005001").unwrap());
        let mut b = pupil("b", "Oliver", "Hart", day(1, 2, 2018));
        b.preferred_forename = "Ollie".into();
        b.unchecked_upn = Some("X999999999876".into());
        let labels = name_labels([&a, &b], NameOrder::SurnameFirst);
        assert_eq!(
            labels[&a.id],
            "Hart, Ollie (Oliver) (born 01/02/2018, UPN ending 5001)"
        );
        assert_eq!(
            labels[&b.id],
            "Hart, Ollie (Oliver) (born 01/02/2018, UPN ending 9876)"
        );
        assert_ne!(labels[&a.id], labels[&b.id]);
    }

    #[test]
    fn point_3_a_preferred_name_matching_another_legal_name_still_reads_differently() {
        // "Alfie (Alfred) Smith" and "Alfie Smith" are different on the screen: no disambiguator.
        let mut a = pupil("a", "Alfred", "Smith", day(1, 2, 2018));
        a.preferred_forename = "Alfie".into();
        let b = pupil("b", "Alfie", "Smith", day(5, 6, 2018));
        let labels = name_labels([&a, &b], NameOrder::ForenameFirst);
        assert_eq!(labels[&a.id], "Alfie (Alfred) Smith");
        assert_eq!(labels[&b.id], "Alfie Smith");
    }

    #[test]
    fn point_3_known_as_names_collide_on_the_preferred_name_alone() {
        let mut a = pupil("a", "Alfred", "Smith", day(1, 2, 2018));
        a.preferred_forename = "Alfie".into();
        let b = pupil("b", "Alfie", "Smith", day(5, 6, 2018));
        let labels = name_labels([&a, &b], NameOrder::KnownAs);
        assert_eq!(labels[&a.id], "Alfie Smith (born 01/02/2018)");
        assert_eq!(labels[&b.id], "Alfie Smith (born 05/06/2018)");
        let alone = name_labels([&a], NameOrder::KnownAs);
        assert_eq!(alone[&a.id], "Alfie Smith");
    }

    #[test]
    fn point_3_a_desk_labels_one_pupil_as_every_list_does() {
        let at = DateTime::from_timestamp(1_756_684_800, 0).unwrap();
        let mut desk = Desk::new(Settings::new("School"));
        let a = pupil("a", "Mia", "Jones", day(3, 4, 2018));
        let b = pupil("b", "Mia", "Jones", day(9, 11, 2018));
        desk.put(PupilFile::new(a.clone(), at));
        desk.put(PupilFile::new(b.clone(), at));
        desk.put(PupilFile::new(
            pupil("c", "Leo", "Jones", day(1, 1, 2018)),
            at,
        ));
        let all = desk.name_labels(NameOrder::ForenameFirst);
        assert_eq!(desk.name_label(&a.id, NameOrder::ForenameFirst), all[&a.id]);
        assert_eq!(all[&a.id], "Mia Jones (born 03/04/2018)");
        assert_eq!(
            desk.name_label(&PupilId("c".into()), NameOrder::ForenameFirst),
            "Leo Jones"
        );
    }

    #[test]
    fn point_3_the_register_shows_cousins_in_one_class_apart() {
        use crate::domain::register::{Register, RegisterFilter, Scope, Sort};
        let at = DateTime::from_timestamp(1_756_684_800, 0).unwrap();
        let mut desk = Desk::new(Settings::new("School"));
        let mut alfie = pupil("c", "Alfred", "Smith", day(1, 1, 2018));
        alfie.preferred_forename = "Alfie".into();
        for p in [
            pupil("a", "Mia", "Jones", day(3, 4, 2018)),
            pupil("b", "Mia", "Jones", day(9, 11, 2018)),
            alfie,
        ] {
            desk.put(PupilFile::new(p, at));
        }
        let register = Register::build(&desk, day(1, 12, 2026));
        let filter = RegisterFilter {
            scope: Scope::WholeRoll,
            ..Default::default()
        };
        let names: Vec<&str> = register
            .view(&filter, Sort::default())
            .iter()
            .map(|r| r.name.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "Jones, Mia (born 03/04/2018)",
                "Jones, Mia (born 09/11/2018)",
                "Smith, Alfie (Alfred)"
            ]
        );
    }

    #[test]
    fn point_3_the_same_name_and_date_of_birth_is_found_before_adding() {
        let at = DateTime::from_timestamp(1_756_684_800, 0).unwrap();
        let mut desk = Desk::new(Settings::new("School"));
        desk.put(PupilFile::new(
            pupil("a", "Mia", "Jones", day(3, 4, 2018)),
            at,
        ));
        let again = pupil("new", " mia ", "jones", day(3, 4, 2018));
        let found: Vec<&str> = desk
            .same_name_and_birth(&again)
            .iter()
            .map(|p| p.id.0.as_str())
            .collect();
        assert_eq!(found, ["a"]);
        let other_day = pupil("new", "Mia", "Jones", day(4, 4, 2018));
        assert!(desk.same_name_and_birth(&other_day).is_empty());
        // Editing the pupil themself is not a duplicate.
        let itself = pupil("a", "Mia", "Jones", day(3, 4, 2018));
        assert!(desk.same_name_and_birth(&itself).is_empty());
    }
}
