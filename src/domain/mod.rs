//! Plain Rust types and rules about pupils and the school's desk.
//! No web, crypto or storage here.

pub mod dates;
pub mod desk;
pub mod pupil;
pub mod settings;
pub mod text;
pub mod upn;
pub mod year_group;

pub use desk::DamagedFile;
pub use desk::{Desk, DeskError};
pub use pupil::{Note, Pupil, PupilDraft, PupilFile, PupilId, PupilProblem};
pub use settings::Settings;
pub use upn::{Upn, UpnError};
pub use year_group::YearGroup;
