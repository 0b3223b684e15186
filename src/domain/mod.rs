//! Plain Rust types and rules about pupils and the school's desk.
//! No web, crypto or storage here.

pub mod attachment;
pub mod concern;
pub mod contact_log;
pub mod dates;
pub mod desk;
pub mod draft;
pub mod due;
pub mod ehc;
pub mod history;
pub mod library;
pub mod merge;
pub mod names;
pub mod need;
pub mod passphrase;
pub mod passport;
pub mod plan;
pub mod provision;
pub mod pupil;
pub mod record_id;
pub mod referral;
pub mod register;
pub mod removal;
pub mod sen;
pub mod settings;
pub mod summary;
pub mod text;
pub mod timeline;
pub mod upn;
pub mod year_end;
pub mod year_group;

pub use concern::{Concern, Decision, Outcome, RaisedBy};
pub use desk::DamagedFile;
pub use desk::{Desk, DeskError};
pub use need::{BroadArea, NeedType};
pub use pupil::{
    Contact, ContactMethod, Flag, Flags, Gender, Note, Pupil, PupilDraft, PupilFile, PupilId,
    PupilProblem,
};
pub use removal::{Erasure, Removal, Removed};
pub use sen::{Need, NeedsChange, SenRecord, SenStatus, StatusChange};
pub use settings::Settings;
pub use upn::{Upn, UpnError};
pub use year_group::YearGroup;
