//! The native backup reader: a school's way back to its records without the web app.
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::process::{Command, Stdio};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/rekeyed/backup-v1.json"
);

fn decrypt(args: &[&str], secret: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_senco-desk-decrypt"))
        .args(args)
        .arg("--passphrase-stdin")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A file refused before the passphrase is asked closes stdin early: not an error here.
    let _ = writeln!(child.stdin.take().unwrap(), "{secret}");
    child.wait_with_output().unwrap()
}

#[test]
fn the_right_passphrase_writes_every_record_as_plain_json() {
    let out = decrypt(&[FIXTURE], "fixture passphrase 2026");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["settings"]["school_name"], "Fixture Primary");
    let surnames: Vec<_> = json["pupils"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["pupil"]["surname"].as_str().unwrap().to_string())
        .collect();
    assert!(surnames.contains(&"Okafor".to_string()));
    assert_eq!(
        json["notes"][0]["text"],
        "Speech and language referral sent"
    );
}

#[test]
fn the_output_file_is_written_but_never_over_an_existing_one() {
    let dir = std::env::temp_dir().join(format!("senco-decrypt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let target = dir.join("records.json");
    let _ = std::fs::remove_file(&target);
    let path = target.to_str().unwrap();
    let out = decrypt(&[FIXTURE, "--output", path], "fixture passphrase 2026");
    assert!(out.status.success());
    assert!(std::fs::read_to_string(&target).unwrap().contains("Okafor"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&target).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o077,
            0,
            "others can read the plain records: {mode:o}"
        );
    }
    let again = decrypt(&[FIXTURE, "--output", path], "fixture passphrase 2026");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_wrong_passphrase_or_a_bad_file_says_why_and_writes_nothing() {
    let out = decrypt(&[FIXTURE], "not the passphrase");
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not open this backup"));

    let not_backup = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let out = decrypt(&[not_backup], "anything");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a JSON file"));
}

/// A directory of this test's own, empty.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("senco-decrypt-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A backup file (opened with "a long enough passphrase") sealing `contents` as they are.
fn backup_holding(dir: &std::path::Path, contents: &str) -> String {
    use senco_desk::backup::Envelope;
    use senco_desk::vault::{Header, KdfParams};
    let now = chrono::Utc::now();
    let (header, vault, _) = Header::create(PASS, KdfParams::for_tests(), now).unwrap();
    let path = dir.join("backup.json");
    let text = Envelope::seal(&header, &vault, now, contents.as_bytes()).to_json();
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

const PASS: &str = "a long enough passphrase";
const AMARA: &str = r#"{"pupil":{"id":"00112233445566ff","forename":"Amara","surname":"Okafor","date_of_birth":"2017-09-14","year_group":"4","upn":null},"revision":1,"created_at":"2026-11-01T09:00:00.000Z","updated_at":"2026-11-01T09:00:00.000Z"}"#;

/// What a terminal acts on: escape sequences (ESC, or CSI as one C1 character), bells,
/// deletes, and the marks that reverse text on screen.
const ACTIVE: [char; 6] = [
    '\u{1b}', '\u{7}', '\u{7f}', '\u{9b}', '\u{202e}', '\u{2066}',
];

fn assert_nothing_active(output: &[u8], what: &str) {
    let text = String::from_utf8_lossy(output);
    for c in ACTIVE {
        assert!(
            !text.contains(c),
            "{what} holds U+{:04X}: {text:?}",
            c as u32
        );
    }
}

#[test]
fn point_6_control_characters_in_a_file_name_are_escaped_in_messages() {
    let dir = scratch("name");
    let name = dir.join("backup\u{1b}]0;owned\u{7}\u{202e}nosj.json");
    let out = decrypt(&[name.to_str().unwrap()], "anything");
    assert!(!out.status.success());
    assert_nothing_active(&out.stderr, "the message");
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(
        message.contains("backup\\u{1b}]0;owned\\u{7}\\u{202e}nosj.json"),
        "{message}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn point_6_control_characters_from_the_file_are_escaped_in_the_records_printed() {
    let dir = scratch("records");
    let text = "Said \u{1b}[2J\u{9b}31m \u{7f}\u{7}, wrote \u{202e}txet\u{2066}";
    let contents = serde_json::json!({
        "version": 1,
        "settings": {"school_name": "Oakfield", "auto_lock_minutes": 10},
        "pupils": [serde_json::from_str::<serde_json::Value>(AMARA).unwrap()],
        "notes": [{"pupil_id": "00112233445566ff", "date": "2026-10-01", "author": "JP", "text": text}],
    });
    let path = backup_holding(&dir, &contents.to_string());
    let out = decrypt(&[&path], PASS);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_nothing_active(&out.stdout, "the records");
    // Escaped as JSON escapes: any JSON reader reads the note exactly as it was written.
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["notes"][0]["text"], text);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn point_6_control_characters_from_the_file_are_escaped_in_an_error_message() {
    let dir = scratch("error");
    let contents = format!(
        r#"{{"version":1,"settings":{{"school_name":"Oakfield","auto_lock_minutes":10}},"pupils":[{AMARA}],"notes":[{{"pupil_id":"\u001b]0;owned\u0007\u009b2J\u202e","date":"2026-10-01","author":"JP","text":"orphan"}}]}}"#
    );
    let path = backup_holding(&dir, &contents);
    let out = decrypt(&[&path], PASS);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert_nothing_active(&out.stderr, "the message");
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(message.contains("not in the file"), "{message}");
    assert!(
        message.contains("\\u{1b}]0;owned\\u{7}\\u{9b}2J\\u{202e}"),
        "{message}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A 1 GiB file (sparse: it takes no disk) with the tool allowed 200 MiB of memory: read
/// into memory it could not be, so only a refusal from its size (and its first part, which
/// shows it is not a backup with attached files, read as a stream) gives the size message.
#[cfg(target_os = "linux")]
#[test]
fn point_6_a_file_larger_than_any_backup_is_refused_from_its_size_without_being_read() {
    let dir = scratch("size");
    let huge = dir.join("huge.json");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(1024 * 1024 * 1024)
        .unwrap();
    let out = Command::new("sh")
        .arg("-c")
        .arg(r#"ulimit -v 204800 && exec "$0" "$1" --passphrase-stdin < /dev/null"#)
        .arg(env!("CARGO_BIN_EXE_senco-desk-decrypt"))
        .arg(&huge)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(
        message.contains(
            "This file is 1,024.0 MB, larger than a records-only Senco Desk backup can be (32 MB at most), and it is not a backup with attached files"
        ),
        "{message}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_backup_with_files_writes_each_file_beside_the_records_under_a_neutral_name() {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/backup-v2-files.json"
    );
    // Without --output there is nowhere to put the files: refused, nothing written.
    let out = decrypt(&[fixture], "fixture passphrase 2026");
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("give --output FILE"));

    let dir = std::env::temp_dir().join(format!("senco-decrypt-files-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let target = dir.join("records.json");
    let out = decrypt(
        &[fixture, "--output", target.to_str().unwrap()],
        "fixture passphrase 2026",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let records: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    let listed = &records["pupils"][0]["attachments"][0];
    assert_eq!(listed["name"], "EP report.pdf");
    assert!(listed.get("key").is_none(), "no key in the plain records");
    let id = listed["id"].as_str().unwrap();
    let written = dir
        .join("records.json.files")
        .join(format!("attachment-2026-09-01-{id}.pdf"));
    let bytes = std::fs::read(&written).unwrap();
    let expected: Vec<u8> = (0..1_572_864usize)
        .map(|i| ((i * 31 + 7) % 251) as u8)
        .collect();
    assert!(bytes == expected, "the file is written as it was attached");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&written).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "others can read the plain file: {mode:o}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
