//! Reads a Senco Desk backup file without the web app, so a school can always get its
//! records back: asks for the passphrase (or recovery key) and writes the plain JSON.
//!
//!     cargo run --release --bin senco-desk-decrypt -- backup.json [--output records.json]
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
        let bytes = read_backup(&input)?;
        let file = BackupFile::read(&bytes).map_err(|e| e.to_string())?;
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

    /// The file's bytes, refused from its size alone when it is larger than any backup,
    /// and never read past that size (a device or a file still growing has no end).
    fn read_backup(path: &Path) -> Result<Vec<u8>, String> {
        let cannot = |e: std::io::Error| format!("cannot read {}: {e}", path.display());
        let file = std::fs::File::open(path).map_err(cannot)?;
        let size = file.metadata().map_err(cannot)?.len();
        if size > MAX_BACKUP_BYTES as u64 {
            return Err(too_large(size));
        }
        let mut bytes = Vec::with_capacity(size as usize);
        file.take(MAX_BACKUP_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(cannot)?;
        if bytes.len() > MAX_BACKUP_BYTES {
            return Err(too_large(bytes.len() as u64));
        }
        Ok(bytes)
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
        let value: serde_json::Value =
            serde_json::from_slice(&backup.to_json()).map_err(|e| e.to_string())?;
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
