//! The provision map (issue 15): interventions, who delivers them, what they cost and
//! whether they work. Begun with the rules every screen of it will rest on: money in exact
//! pence, the school's calendar of teaching days and planned sessions, staff and their
//! rates, a provision's record, what it costs (to date, projected, each pupil's share) and
//! delivered against planned, and impact figures that always carry their n.

pub mod calendar;
pub mod costs;
pub mod details;
pub mod due;
pub mod edit;
pub mod entry;
pub mod for_pupil;
pub mod impact;
pub mod map;
pub mod merge;
pub mod money;
pub mod record;
pub mod setup;
pub mod staff;
pub mod totals;

#[cfg(test)]
mod form_tests;
#[cfg(test)]
mod setup_tests;
#[cfg(test)]
mod tests;
