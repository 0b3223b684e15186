//! The provision map (issue 15): interventions, who delivers them, what they cost and
//! whether they work. Begun with the rules every screen of it will rest on: money in exact
//! pence, the school's calendar of teaching days and planned sessions, and impact figures
//! that always carry their n. Nothing here is stored or shown yet.

pub mod calendar;
pub mod impact;
pub mod money;
