//! Reads a Senco Desk backup file without the web app, so a school can always get its
//! records back: asks for the passphrase (or recovery key) and writes the plain JSON.
//!
//!     cargo run --release --bin senco-desk-decrypt -- backup.json [--output records.json]
//!
//! A backup with attached files (version 2) needs `--output`: the files are written beside
//! the records, in `records.json.files/`, named neutrally (`attachment-<date>-<id>.<ext>`,
//! as the app's downloads: a folder listing shows no pupil's name or report title); the
//! original names are in the records JSON beside the same ids.
//!
//! `--passphrase-stdin` reads the secret from the first line of standard input instead of
//! asking at the terminal (for scripts).

// A command-line tool: nothing to do in a browser build.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use senco_desk::backup::with_files::{self, ReadSource, PART_BYTES};
    use senco_desk::backup::{BackupError, BackupFile, ValidBackup, MAX_BACKUP_BYTES};
    use std::ffi::OsString;
    use std::io::{BufRead, Read, Write};
    use std::path::{Path, PathBuf};
    use std::process::ExitCode;

    const USAGE: &str =
        "usage: senco-desk-decrypt BACKUP.json [--output FILE] [--passphrase-stdin]";

    pub fn main() -> ExitCode {
        match run() {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                // The message can quote a file name or text from the file.
                eprintln!("senco-desk-decrypt: {}", escaped(&message));
                ExitCode::FAILURE
            }
        }
    }

    fn run() -> Result<(), String> {
        let mut input: Option<PathBuf> = None;
        let mut output: Option<PathBuf> = None;
        let mut secret_from_stdin = false;
        // Names as the system gives them: a name that is not UTF-8 is still a file.
        let mut args = std::env::args_os().skip(1);
        while let Some(arg) = args.next() {
            match arg.to_str() {
                Some("--output" | "-o") => output = Some(args.next().ok_or(USAGE)?.into()),
                Some("--passphrase-stdin") => secret_from_stdin = true,
                Some("--help" | "-h") => {
                    println!("{USAGE}");
                    return Ok(());
                }
                _ if input.is_none() && !starts_with_dash(&arg) => input = Some(arg.into()),
                _ => return Err(USAGE.into()),
            }
        }
        let input = input.ok_or(USAGE)?;
        if let Some(path) = &output {
            if path.exists() {
                return Err(format!(
                    "{} already exists; choose a new file name",
                    path.display()
                ));
            }
        }
        let file = read_backup(&input)?;
        if !file.carried_files().is_empty() && output.is_none() {
            return Err(format!(
                "this backup carries {} attached files: give --output FILE so they can be written beside the records",
                file.carried_files().len()
            ));
        }
        let secret = if secret_from_stdin {
            let mut line = zeroize::Zeroizing::new(String::new());
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| e.to_string())?;
            let kept = line.trim_end_matches(['\r', '\n']).len();
            line.truncate(kept);
            line
        } else {
            zeroize::Zeroizing::new(
                rpassword::prompt_password("Passphrase or recovery key: ")
                    .map_err(|e| format!("cannot ask for the passphrase: {e}"))?,
            )
        };
        let vault = file.unlock(&secret).map_err(|e| e.to_string())?;
        let backup = file.open(&vault).map_err(|e| e.to_string())?;
        let text = readable_json(&backup)?;
        let mut written_files = 0;
        if let (BackupFile::WithFiles(head), Some(path)) = (&file, &output) {
            written_files = write_files(&input, head, &backup, path)?;
        }
        match output {
            Some(path) => {
                create_private(&path)?
                    .write_all(text.as_bytes())
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                eprintln!(
                    "Wrote {} pupils and {} notes to {}. It is NOT encrypted: keep it safe and delete it when done.",
                    backup.files.len(),
                    backup.note_count(),
                    escaped(&path.display().to_string())
                );
                if written_files > 0 {
                    eprintln!(
                        "Wrote {written_files} attached files to {}. They are NOT encrypted either.",
                        escaped(&files_dir(&path).display().to_string())
                    );
                }
            }
            None => std::io::stdout()
                .write_all(text.as_bytes())
                .map_err(|e| e.to_string())?,
        }
        Ok(())
    }

    fn starts_with_dash(arg: &OsString) -> bool {
        arg.as_encoded_bytes().starts_with(b"-")
    }

    /// The folder the attached files go in: beside the records, named after them.
    fn files_dir(records: &Path) -> PathBuf {
        let mut name = records.as_os_str().to_owned();
        name.push(".files");
        PathBuf::from(name)
    }

    /// Reads the backup again as a stream and writes each attached file, every piece proven
    /// with its key, into a new private folder beside the records. On any failure the folder
    /// is removed, so no half-written file is left. Returns how many were written.
    fn write_files(
        input: &Path,
        head: &with_files::FilesHead,
        backup: &ValidBackup,
        records: &Path,
    ) -> Result<usize, String> {
        let dir = files_dir(records);
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&dir).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                format!("{} already exists; choose a new file name", dir.display())
            }
            _ => format!("cannot create {}: {e}", dir.display()),
        })?;
        let source = ReadSource {
            reader: std::fs::File::open(input)
                .map_err(|e| format!("cannot read {}: {e}", input.display()))?,
            part: PART_BYTES,
        };
        let mut current: Option<std::fs::File> = None;
        let mut count = 0;
        let result = with_files::ready(with_files::open_files(
            source,
            head,
            backup,
            |file, index, plain| {
                let fail = |e: std::io::Error| BackupError::Storage(e.to_string());
                if index == 0 {
                    let name = format!(
                        "attachment-{}-{}.{}",
                        file.about.format("%Y-%m-%d"),
                        file.id,
                        senco_desk::domain::attachment::extension_for(&file.media_type)
                    );
                    current = Some(create_private(&dir.join(name)).map_err(BackupError::Storage)?);
                    count += 1;
                }
                current
                    .as_mut()
                    .expect("a file is open from its first piece")
                    .write_all(plain)
                    .map_err(fail)
            },
        ))
        .unwrap_or_else(|| Err(BackupError::Damaged("it could not be read".into())));
        if let Err(e) = result {
            drop(current);
            let _ = std::fs::remove_dir_all(&dir);
            return Err(e.to_string());
        }
        Ok(count)
    }

    /// The backup, checked before any key is derived: a backup with attached files is read
    /// as a stream, whatever its size; any other is refused from its size alone when it is
    /// larger than any backup, and never read past that size (a device or a file still
    /// growing has no end).
    fn read_backup(path: &Path) -> Result<BackupFile, String> {
        let cannot = |e: std::io::Error| format!("cannot read {}: {e}", path.display());
        let file = std::fs::File::open(path).map_err(cannot)?;
        let size = file.metadata().map_err(cannot)?.len();
        if size > MAX_BACKUP_BYTES as u64 {
            let source = ReadSource {
                reader: file,
                part: PART_BYTES,
            };
            return match with_files::ready(with_files::scan(source)) {
                Some(Ok(head)) => Ok(BackupFile::WithFiles(Box::new(head))),
                // Not a backup with attached files: then too large for any other.
                Some(Err(BackupError::NotWithFiles)) => Err(too_large(size)),
                Some(Err(e)) => Err(e.to_string()),
                None => Err(too_large(size)),
            };
        }
        let mut bytes = Vec::with_capacity(size as usize);
        file.take(MAX_BACKUP_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(cannot)?;
        if bytes.len() > MAX_BACKUP_BYTES {
            return Err(too_large(bytes.len() as u64));
        }
        BackupFile::read(&bytes).map_err(|e| e.to_string())
    }

    fn too_large(bytes: u64) -> String {
        BackupError::TooLarge {
            bytes: usize::try_from(bytes).unwrap_or(usize::MAX),
        }
        .to_string()
    }

    /// A new file (never over an existing one: checked again here, as the early check can
    /// race), readable by this user only: it holds every record unencrypted.
    fn create_private(path: &Path) -> Result<std::fs::File, String> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options.open(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                format!("{} already exists; choose a new file name", path.display())
            }
            _ => format!("cannot create {}: {e}", path.display()),
        })
    }

    /// The records JSON, indented for reading, with every character a terminal would act
    /// on written as a `\uXXXX` escape (the same text to any JSON reader).
    fn readable_json(backup: &ValidBackup) -> Result<String, String> {
        let mut value: serde_json::Value =
            serde_json::from_slice(&backup.to_json()).map_err(|e| e.to_string())?;
        // Attached files are written out in the clear beside it: their keys are of no use.
        if let Some(pupils) = value.get_mut("pupils").and_then(|p| p.as_array_mut()) {
            for entry in pupils {
                if let Some(files) = entry.get_mut("attachments").and_then(|a| a.as_array_mut()) {
                    for file in files {
                        if let Some(file) = file.as_object_mut() {
                            file.remove("key");
                        }
                    }
                }
            }
        }
        let pretty = serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?;
        let mut text = String::with_capacity(pretty.len() + 1);
        for c in pretty.chars() {
            // serde_json escapes C0 controls inside strings; outside them it writes only
            // punctuation, spaces and the line breaks of the indenting.
            if acts_on_a_terminal(c) && c != '\n' {
                text.push_str(&format!("\\u{:04x}", c as u32));
            } else {
                text.push(c);
            }
        }
        text.push('\n');
        Ok(text)
    }

    /// Control characters (C0, DEL, C1: escape sequences, bells, cursor moves) and the
    /// characters that reorder text on screen (bidirectional overrides and isolates).
    fn acts_on_a_terminal(c: char) -> bool {
        c.is_control()
            || matches!(
                c,
                '\u{061c}'
                    | '\u{200e}'
                    | '\u{200f}'
                    | '\u{2028}'
                    | '\u{2029}'
                    | '\u{202a}'..='\u{202e}'
                    | '\u{2066}'..='\u{2069}'
            )
    }

    /// A message made safe to print: each such character shown as `\u{1b}`.
    fn escaped(message: &str) -> String {
        let mut safe = String::with_capacity(message.len());
        for c in message.chars() {
            if acts_on_a_terminal(c) {
                safe.push_str(&format!("\\u{{{:x}}}", c as u32));
            } else {
                safe.push(c);
            }
        }
        safe
    }
}
