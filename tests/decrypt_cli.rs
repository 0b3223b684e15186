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
