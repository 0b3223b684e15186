//! What can go wrong opening a desk, worded for the person at the keyboard.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VaultError {
    /// Neither the passphrase nor the recovery key opened any key slot.
    WrongSecret,
    /// The desk's header is missing parts or is not readable.
    DamagedHeader(String),
    /// One record failed its integrity check or could not be read.
    DamagedRecord { record_id: String },
    /// Written by a newer Senco Desk than this one.
    NewerFormat { found: String },
    /// Key-derivation settings so large they would freeze the browser.
    UnsafeKdfParams(String),
    /// Key-derivation settings below the least allowed: a passphrase would be cheap to guess.
    WeakKdfParams(String),
    /// The header's key slots (labels, roles, public keys) differ from the sealed list of
    /// them: someone changed the header outside Senco Desk.
    SlotsChanged,
    /// A key slot's name or role as typed is not allowed (the sentence says why).
    BadLabel(String),
    /// A rotation needs the passphrase: the recovery key was typed, and the desk's
    /// passphrase slot was made by an older version, so it cannot be kept without it.
    PassphraseNeeded,
}

impl fmt::Display for VaultError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VaultError::WrongSecret => write!(
                f,
                "That passphrase or recovery key is not right for this desk. \
                 Check Caps Lock and try again. Nothing has been changed."
            ),
            VaultError::DamagedHeader(detail) => write!(
                f,
                "The desk in this browser is damaged and cannot be opened ({detail}). \
                 Nothing has been changed. Restore it from your latest backup file."
            ),
            VaultError::DamagedRecord { record_id } => write!(
                f,
                "The record \u{201c}{record_id}\u{201d} is damaged and cannot be opened. \
                 Restore it from your latest backup file."
            ),
            VaultError::NewerFormat { found } => write!(
                f,
                "This desk was saved by a newer version of Senco Desk (format {found}). \
                 Update Senco Desk to open it. Nothing has been changed."
            ),
            VaultError::UnsafeKdfParams(detail) => write!(
                f,
                "The desk's key settings are outside what this app allows ({detail}), \
                 so it was not opened. Nothing has been changed."
            ),
            VaultError::WeakKdfParams(detail) => write!(
                f,
                "The desk's key settings are weaker than Senco Desk allows ({detail}), \
                 so its passphrase would be quick to guess and it was not opened. \
                 Senco Desk did not make this desk. Nothing has been changed."
            ),
            VaultError::SlotsChanged => write!(
                f,
                "The desk's key slots have been changed outside Senco Desk: a name, a role or \
                 a key in its header is not what the desk recorded, so the desk was not opened \
                 and the change history cannot be trusted to say who did what. Nothing has been \
                 changed. Restore the desk from your latest backup file."
            ),
            VaultError::BadLabel(sentence) => f.write_str(sentence),
            VaultError::PassphraseNeeded => write!(
                f,
                "Enter the desk's passphrase here, not the recovery key: this desk's passphrase \
                 was set by an older version of Senco Desk, and the new keys need it. \
                 Nothing has been changed."
            ),
        }
    }
}

impl std::error::Error for VaultError {}
