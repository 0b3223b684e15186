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
    use senco_desk::backup::{BackupFile, ValidBackup};
    use std::io::{BufRead, Write};
    use std::process::ExitCode;

    const USAGE: &str =
        "usage: senco-desk-decrypt BACKUP.json [--output FILE] [--passphrase-stdin]";

    pub fn main() -> ExitCode {
        match run() {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("senco-desk-decrypt: {message}");
                ExitCode::FAILURE
            }
        }
    }

    fn run() -> Result<(), String> {
        let mut input = None;
        let mut output = None;
        let mut secret_from_stdin = false;
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--output" | "-o" => output = Some(args.next().ok_or(USAGE)?),
                "--passphrase-stdin" => secret_from_stdin = true,
                "--help" | "-h" => {
                    println!("{USAGE}");
                    return Ok(());
                }
                _ if input.is_none() && !arg.starts_with('-') => input = Some(arg),
                _ => return Err(USAGE.into()),
            }
        }
        let input = input.ok_or(USAGE)?;
        if let Some(path) = &output {
            if std::path::Path::new(path).exists() {
                return Err(format!("{path} already exists; choose a new file name"));
            }
        }
        let bytes = std::fs::read(&input).map_err(|e| format!("cannot read {input}: {e}"))?;
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
                    .map_err(|e| format!("cannot write {path}: {e}"))?;
                eprintln!(
                    "Wrote {} pupils and {} notes to {path}. It is NOT encrypted: keep it safe and delete it when done.",
                    backup.files.len(),
                    backup.note_count()
                );
            }
            None => std::io::stdout()
                .write_all(text.as_bytes())
                .map_err(|e| e.to_string())?,
        }
        Ok(())
    }

    /// A new file (never over an existing one: checked again here, as the early check can
    /// race), readable by this user only: it holds every record unencrypted.
    fn create_private(path: &str) -> Result<std::fs::File, String> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options.open(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                format!("{path} already exists; choose a new file name")
            }
            _ => format!("cannot create {path}: {e}"),
        })
    }

    /// The records JSON, indented for reading.
    fn readable_json(backup: &ValidBackup) -> Result<String, String> {
        let value: serde_json::Value =
            serde_json::from_slice(&backup.to_json()).map_err(|e| e.to_string())?;
        let mut text = serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?;
        text.push('\n');
        Ok(text)
    }
}
