//! Files in and out: the MIS pupil export (CSV) read into pupils, and the register and
//! census summary written as CSV. Pure functions over domain types.

pub mod csv_out;
pub mod csv_text;
pub mod html;
pub mod ics;
pub mod import_plan;
pub mod mis_columns;
pub mod mis_row;
