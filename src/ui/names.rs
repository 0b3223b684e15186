//! The name a page about one pupil shows: the name they are known by, with a date of
//! birth or UPN ending when another pupil on the desk reads the same (see
//! [`crate::domain::names`]).

use super::state::AppState;
use crate::domain::names::NameOrder;
use crate::domain::PupilFile;
use leptos::prelude::WithUntracked;

/// "Mia Jones", or "Mia Jones (born 03/04/2018)" when another Mia Jones is on the desk.
pub fn page_name(app: AppState, file: &PupilFile) -> String {
    app.session
        .with_untracked(|s| {
            s.as_ref()
                .map(|o| o.desk.name_label(&file.pupil.id, NameOrder::KnownAs))
        })
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| file.pupil.full_name())
}

/// Every pupil's label on the desk, surname first ("Jones, Mia (born 03/04/2018)" where
/// another Mia Jones is on it), for lists of pupils a page shows together.
pub fn register_labels(app: AppState) -> std::collections::HashMap<crate::domain::PupilId, String> {
    app.session
        .with_untracked(|s| {
            s.as_ref()
                .map(|o| o.desk.name_labels(NameOrder::SurnameFirst))
        })
        .unwrap_or_default()
}
