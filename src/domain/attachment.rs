//! Files attached to a record: reports from educational psychologists and therapists, EHC
//! plans, letters. A pupil's file holds them today (`PupilFile::attachments`); any record a
//! later issue adds (a referral, a contact, an EHC plan, a review) embeds a
//! `Vec<Attachment>` the same way and uses the same rules.
//!
//! The metadata, and each file's own key, live inside the sealed record that holds them: the
//! key is therefore wrapped by the desk's data key, and re-sealing the records under a new
//! data key re-wraps every file key without touching the file's sealed pieces (the vault's
//! `attachment` module seals those, the store's `files` module keeps them).

use super::dates::{iso_date, parse_date, timestamp};
use super::text::file_size;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// The largest file that can be attached: 25 MB (as the app shows sizes, 1 MB = 1,000,000
/// bytes). A scanned report is rarely over 5 MB.
pub const MAX_FILE_BYTES: usize = 25_000_000;
/// Each file is sealed in pieces of this many bytes (the last may be shorter), so a large
/// file is never one huge value in storage and a damaged piece is named.
pub const CHUNK_BYTES: usize = 1024 * 1024;
/// Generous for any real file name or description; small enough to stay fast.
pub const MAX_FILE_NAME_CHARS: usize = 200;
pub const MAX_DESCRIPTION_CHARS: usize = 1_000;
/// The most files one record may hold (a crafted backup must not hold millions).
pub const MAX_ATTACHMENTS: usize = 1_000;

/// A file's own 256-bit key. Wiped when dropped; never shown in debug output.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct FileKey(pub [u8; 32]);

impl fmt::Debug for FileKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FileKey(..)")
    }
}

impl Serialize for FileKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut text = STANDARD.encode(self.0);
        let result = serializer.serialize_str(&text);
        text.zeroize();
        result
    }
}

impl<'de> Deserialize<'de> for FileKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<FileKey, D::Error> {
        let mut text = String::deserialize(deserializer)?;
        let bytes = STANDARD.decode(&text);
        text.zeroize();
        let mut bytes = bytes.map_err(serde::de::Error::custom)?;
        let key = <[u8; 32]>::try_from(bytes.as_slice())
            .map(FileKey)
            .map_err(|_| serde::de::Error::custom("a file key is 32 bytes"));
        bytes.zeroize();
        key
    }
}

/// One attached file: what the app shows about it and what it needs to open it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// Random, 16 hex digits: names the file's pieces in storage, and nothing else.
    pub id: String,
    /// The file's name as it was chosen. Shown only inside the unlocked app: never a
    /// download's name or a page title.
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The date the file is about (a report's date), not when it was added.
    #[serde(with = "iso_date")]
    pub about: NaiveDate,
    /// The key slot label the desk was unlocked with ("SENCO").
    pub added_by: String,
    #[serde(with = "timestamp")]
    pub added_at: DateTime<Utc>,
    /// The file's length in bytes.
    pub size: usize,
    /// As the browser gave it ("application/pdf"); decides the download's extension.
    pub media_type: String,
    /// How many sealed pieces hold it.
    pub chunks: u32,
    pub key: FileKey,
}

/// How many pieces a file of `size` bytes is sealed in.
pub fn chunk_count(size: usize) -> u32 {
    size.div_ceil(CHUNK_BYTES) as u32
}

/// A file's id: 16 hex digits.
pub fn is_file_id(id: &str) -> bool {
    id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

/// What the add form asks for, as typed; the file itself comes from the browser.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttachmentDraft {
    pub name: String,
    pub size: usize,
    pub media_type: String,
    pub description: String,
    /// dd/mm/yyyy as typed.
    pub about: String,
}

/// A form field, so an error is shown beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttachmentField {
    File,
    Description,
    About,
}

impl AttachmentField {
    pub fn id(self) -> &'static str {
        match self {
            AttachmentField::File => "attach-file",
            AttachmentField::Description => "attach-description",
            AttachmentField::About => "attach-about",
        }
    }
}

/// The checked parts of a draft: everything but the id, key and who/when, which the
/// caller adds ([`AttachmentDetails::into_attachment`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentDetails {
    pub name: String,
    pub description: String,
    pub about: NaiveDate,
    pub size: usize,
    pub media_type: String,
}

impl AttachmentDraft {
    /// Checks the draft; every problem is named against its field.
    pub fn validate(
        &self,
        today: NaiveDate,
    ) -> Result<AttachmentDetails, Vec<(AttachmentField, String)>> {
        let mut problems = Vec::new();
        let name = self.name.trim().to_string();
        if name.is_empty() {
            problems.push((
                AttachmentField::File,
                "Choose a file to attach.".to_string(),
            ));
        } else if let Err(e) = check_size(self.size) {
            problems.push((AttachmentField::File, e));
        } else if name.chars().count() > MAX_FILE_NAME_CHARS {
            problems.push((
                AttachmentField::File,
                format!(
                    "The file's name is too long: at most {MAX_FILE_NAME_CHARS} characters. \
                     Rename it and choose it again."
                ),
            ));
        }
        let description = self.description.trim().to_string();
        if description.chars().count() > MAX_DESCRIPTION_CHARS {
            problems.push((
                AttachmentField::Description,
                format!("The description is too long: at most {MAX_DESCRIPTION_CHARS} characters."),
            ));
        }
        let about = match parse_date(&self.about) {
            None => {
                problems.push((
                    AttachmentField::About,
                    "Enter the date the file is about as day/month/year, for example 01/09/2026."
                        .into(),
                ));
                None
            }
            Some(date) if date > today => {
                problems.push((
                    AttachmentField::About,
                    "The date the file is about cannot be in the future.".into(),
                ));
                None
            }
            Some(date) => Some(date),
        };
        match (problems.is_empty(), about) {
            (true, Some(about)) => Ok(AttachmentDetails {
                name,
                description,
                about,
                size: self.size,
                media_type: clean_media_type(&self.media_type),
            }),
            _ => Err(problems),
        }
    }
}

/// Refuses an empty file, or one over the limit, naming its size.
pub fn check_size(size: usize) -> Result<(), String> {
    if size == 0 {
        return Err("The file is empty: choose another.".into());
    }
    if size > MAX_FILE_BYTES {
        return Err(format!(
            "The file is {}: a file can be at most {}.",
            file_size(size),
            file_size(MAX_FILE_BYTES)
        ));
    }
    Ok(())
}

impl AttachmentDetails {
    pub fn into_attachment(
        self,
        id: String,
        key: FileKey,
        added_by: &str,
        added_at: DateTime<Utc>,
    ) -> Attachment {
        Attachment {
            id,
            chunks: chunk_count(self.size),
            name: self.name,
            description: self.description,
            about: self.about,
            added_by: added_by.to_string(),
            added_at,
            size: self.size,
            media_type: self.media_type,
            key,
        }
    }
}

/// A media type as stored: lower case, "type/subtype" only; anything else is
/// "application/octet-stream".
fn clean_media_type(given: &str) -> String {
    let base = given
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let valid = base.len() <= 100
        && base.split_once('/').is_some_and(|(a, b)| {
            !a.is_empty()
                && !b.is_empty()
                && base
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || b"/.+-_".contains(&c))
        });
    if valid {
        base
    } else {
        "application/octet-stream".into()
    }
}

impl Attachment {
    /// The name a download is given: neutral, from the date it is about and its type
    /// ("attachment-2026-12-01.pdf"), never the pupil's name or the file's own name, which
    /// a downloads folder, a browser's history or a shared computer would show.
    pub fn download_name(&self) -> String {
        format!(
            "attachment-{}.{}",
            self.about.format("%Y-%m-%d"),
            extension_for(&self.media_type)
        )
    }

    /// The type the decrypted file is given in the page (the Blob that Open shows in a frame
    /// and Download saves): its own only for the kinds of file the app knows, which browsers
    /// display without running anything (PDF, images, text, audio, video) or save. Any other
    /// (a web page, an SVG) is given as plain bytes, so the browser saves it rather than run
    /// it inside Senco Desk's own origin, beside the pupils' records.
    pub fn shown_as(&self) -> &str {
        if extension_for(&self.media_type) == "bin" {
            "application/octet-stream"
        } else {
            &self.media_type
        }
    }

    /// What the list shows beside it: "1.2 MB".
    pub fn size_text(&self) -> String {
        file_size(self.size)
    }

    /// What a file from outside (a backup) must respect: the same limits the form applies,
    /// and a piece count that fits the size. Names the first problem.
    pub fn check(&self) -> Result<(), String> {
        if !is_file_id(&self.id) {
            return Err("an attached file's id is not valid".into());
        }
        check_size(self.size).map_err(|e| format!("an attached file is not valid: {e}"))?;
        if self.chunks != chunk_count(self.size) {
            return Err("an attached file's number of pieces does not match its size".into());
        }
        if self.name.trim().is_empty()
            || self.name.chars().count() > MAX_FILE_NAME_CHARS
            || self.description.chars().count() > MAX_DESCRIPTION_CHARS
            || self.added_by.chars().count() > 100
            || clean_media_type(&self.media_type) != self.media_type
        {
            return Err("an attached file's details are not valid".into());
        }
        Ok(())
    }
}

/// Checks a record's list of files: each valid, ids unique, not too many.
pub fn check_attachments(list: &[Attachment]) -> Result<(), String> {
    if list.len() > MAX_ATTACHMENTS {
        return Err(format!("it has more than {MAX_ATTACHMENTS} attached files"));
    }
    for (i, a) in list.iter().enumerate() {
        a.check()?;
        if list[..i].iter().any(|b| b.id == a.id) {
            return Err("it holds the same attached file twice".into());
        }
    }
    Ok(())
}

/// Two copies' lists as one, by id: each file once (the copies of one file are the same
/// file, made once), leaving out files deleted on purpose (`deleted`), in the order added.
pub fn union_attachments(
    ours: &[Attachment],
    theirs: &[Attachment],
    deleted: impl Fn(&str) -> bool,
) -> Vec<Attachment> {
    let mut all: Vec<Attachment> = Vec::with_capacity(ours.len() + theirs.len());
    for a in ours.iter().chain(theirs) {
        if !deleted(&a.id) && !all.iter().any(|b| b.id == a.id) {
            all.push(a.clone());
        }
    }
    all.sort_by(|a, b| (a.added_at, &a.id).cmp(&(b.added_at, &b.id)));
    all
}

/// The extension for a download of this media type; "bin" for one the app does not know.
pub fn extension_for(media_type: &str) -> &'static str {
    match media_type {
        "application/pdf" => "pdf",
        "application/msword" => "doc",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "docx",
        "application/vnd.oasis.opendocument.text" => "odt",
        "application/rtf" | "text/rtf" => "rtf",
        "application/vnd.ms-excel" => "xls",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "xlsx",
        "application/vnd.ms-powerpoint" => "ppt",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation" => "pptx",
        "application/vnd.ms-outlook" => "msg",
        "message/rfc822" => "eml",
        "text/plain" => "txt",
        "text/csv" => "csv",
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/gif" => "gif",
        "image/heic" => "heic",
        "image/tiff" => "tif",
        "image/webp" => "webp",
        "audio/mpeg" => "mp3",
        "audio/mp4" | "audio/x-m4a" => "m4a",
        "video/mp4" => "mp4",
        _ => "bin",
    }
}

impl super::pupil::PupilFile {
    /// Adds a file to the record; refused when the record holds the most it may.
    pub fn attach(&mut self, attachment: Attachment) -> Result<(), String> {
        if self.attachments.len() >= MAX_ATTACHMENTS {
            return Err(format!(
                "This record already holds {MAX_ATTACHMENTS} files: delete one before adding another."
            ));
        }
        if self.attachments.iter().any(|a| a.id == attachment.id) {
            return Err("That file is already attached.".into());
        }
        self.attachments.push(attachment);
        Ok(())
    }

    /// Takes a file off the record (a tombstone is added when the change is recorded);
    /// returns it, or None if it is not there (deleted in another tab).
    pub fn detach(&mut self, file_id: &str) -> Option<Attachment> {
        let at = self.attachments.iter().position(|a| a.id == file_id)?;
        Some(self.attachments.remove(at))
    }

    pub fn attachment(&self, file_id: &str) -> Option<&Attachment> {
        self.attachments.iter().find(|a| a.id == file_id)
    }

    /// The ids of the files attached to this record.
    pub fn attachment_ids(&self) -> Vec<String> {
        self.attachments.iter().map(|a| a.id.clone()).collect()
    }
}

impl super::desk::Desk {
    /// The id of every file any record on the desk names: pieces stored under any other id
    /// belong to nobody (an add whose save failed) and can go.
    pub fn attachment_ids(&self) -> std::collections::BTreeSet<String> {
        self.files()
            .flat_map(|f| f.attachments.iter().map(|a| a.id.clone()))
            .collect()
    }

    /// Every attached file with the pupil it belongs to, largest first (for settings).
    pub fn largest_attachments(&self) -> Vec<(&super::pupil::Pupil, &Attachment)> {
        let mut all: Vec<_> = self
            .files()
            .flat_map(|f| f.attachments.iter().map(move |a| (&f.pupil, a)))
            .collect();
        all.sort_by(|a, b| b.1.size.cmp(&a.1.size).then(a.1.id.cmp(&b.1.id)));
        all
    }

    /// Bytes of every attached file together (their sealed pieces take 28 bytes more each).
    pub fn attachment_bytes(&self) -> usize {
        self.files()
            .flat_map(|f| f.attachments.iter().map(|a| a.size))
            .sum()
    }
}

impl Zeroize for Attachment {
    fn zeroize(&mut self) {
        self.id.zeroize();
        self.name.zeroize();
        self.description.zeroize();
        self.added_by.zeroize();
        self.media_type.zeroize();
        self.about = NaiveDate::MIN;
        self.key.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn draft() -> AttachmentDraft {
        AttachmentDraft {
            name: "EP report - Amelia Hart.pdf".into(),
            size: 2_400_000,
            media_type: "application/pdf".into(),
            description: "Educational psychologist's report".into(),
            about: "01/12/2026".into(),
        }
    }

    fn attachment() -> Attachment {
        draft().validate(day(2026, 12, 1)).unwrap().into_attachment(
            "0123456789abcdef".into(),
            FileKey([7; 32]),
            "SENCO",
            Utc::now(),
        )
    }

    #[test]
    fn a_valid_draft_becomes_an_attachment_with_its_piece_count() {
        let a = attachment();
        assert_eq!(a.name, "EP report - Amelia Hart.pdf");
        assert_eq!(a.about, day(2026, 12, 1));
        assert_eq!(a.chunks, 3, "2.4 MB is three 1 MiB pieces");
        assert_eq!(a.added_by, "SENCO");
        assert_eq!(a.check(), Ok(()));
    }

    #[test]
    fn a_file_over_25_mb_is_refused_naming_its_size() {
        let big = AttachmentDraft {
            size: 31_400_000,
            ..draft()
        };
        let problems = big.validate(day(2026, 12, 1)).unwrap_err();
        assert_eq!(
            problems,
            vec![(
                AttachmentField::File,
                "The file is 31.4 MB: a file can be at most 25.0 MB.".to_string()
            )]
        );
        let exactly = AttachmentDraft {
            size: MAX_FILE_BYTES,
            ..draft()
        };
        assert!(exactly.validate(day(2026, 12, 1)).is_ok());
        let empty = AttachmentDraft { size: 0, ..draft() };
        assert!(empty.validate(day(2026, 12, 1)).is_err());
    }

    #[test]
    fn every_problem_is_named_against_its_field() {
        let bad = AttachmentDraft {
            name: String::new(),
            description: "x".repeat(MAX_DESCRIPTION_CHARS + 1),
            about: "31/02/2026".into(),
            ..draft()
        };
        let fields: Vec<AttachmentField> = bad
            .validate(day(2026, 12, 1))
            .unwrap_err()
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(
            fields,
            vec![
                AttachmentField::File,
                AttachmentField::Description,
                AttachmentField::About
            ]
        );
        let future = AttachmentDraft {
            about: "02/12/2026".into(),
            ..draft()
        };
        assert!(future.validate(day(2026, 12, 1)).is_err());
    }

    #[test]
    fn a_web_page_or_svg_is_never_shown_as_itself_but_a_pdf_or_image_is() {
        let as_type = |media_type: &str| {
            let mut a = attachment();
            a.media_type = media_type.into();
            a.shown_as().to_string()
        };
        for runs_code in [
            "text/html",
            "image/svg+xml",
            "application/xhtml+xml",
            "text/xml",
            "",
        ] {
            assert_eq!(
                as_type(runs_code),
                "application/octet-stream",
                "{runs_code}"
            );
        }
        for shown in [
            "application/pdf",
            "image/png",
            "image/jpeg",
            "text/plain",
            "video/mp4",
        ] {
            assert_eq!(as_type(shown), shown);
        }
    }

    #[test]
    fn the_download_name_is_neutral() {
        let a = attachment();
        let name = a.download_name();
        assert_eq!(name, "attachment-2026-12-01.pdf");
        assert!(!name.contains("Amelia") && !name.contains("report"));
        let odd = Attachment {
            media_type: clean_media_type("Application/X-Strange; charset=x"),
            ..a
        };
        assert_eq!(odd.media_type, "application/x-strange");
        assert_eq!(odd.download_name(), "attachment-2026-12-01.bin");
        assert_eq!(clean_media_type("<script>"), "application/octet-stream");
    }

    #[test]
    fn the_key_round_trips_as_base64_and_never_shows_in_debug() {
        let a = attachment();
        let json = serde_json::to_string(&a).unwrap();
        assert!(json.contains(&STANDARD.encode([7u8; 32])));
        let back: Attachment = serde_json::from_str(&json).unwrap();
        assert_eq!(back, a);
        assert!(!format!("{a:?}").contains("7, 7"));
        let short = json.replace(&STANDARD.encode([7u8; 32]), &STANDARD.encode([7u8; 16]));
        assert!(serde_json::from_str::<Attachment>(&short).is_err());
    }

    #[test]
    fn a_crafted_attachment_is_refused() {
        let a = attachment();
        let wrong_count = Attachment {
            chunks: 2,
            ..a.clone()
        };
        assert!(wrong_count.check().is_err());
        let bad_id = Attachment {
            id: "../x".into(),
            ..a.clone()
        };
        assert!(bad_id.check().is_err());
        assert!(check_attachments(&[a.clone(), a.clone()]).is_err());
        assert!(check_attachments(&[a]).is_ok());
    }

    #[test]
    fn a_union_keeps_each_file_once_and_leaves_out_deleted_ones() {
        let a = attachment();
        let b = Attachment {
            id: "fedcba9876543210".into(),
            ..a.clone()
        };
        let both = union_attachments(std::slice::from_ref(&a), &[b.clone(), a.clone()], |_| false);
        assert_eq!(both.len(), 2);
        let without_b =
            union_attachments(std::slice::from_ref(&a), std::slice::from_ref(&b), |id| {
                id == b.id
            });
        assert_eq!(without_b, vec![a]);
    }
}
