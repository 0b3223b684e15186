//! The recovery key: a second way in, for when the passphrase is forgotten.
//!
//! 160 random bits written as 32 Crockford base32 characters in groups of four, so it
//! can be read aloud, printed, and typed back without confusing 0/O or 1/I/L.

use super::key::random_bytes;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
pub const RECOVERY_KEY_CHARS: usize = 32;

#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct RecoveryKey(String);

impl RecoveryKey {
    pub fn generate() -> RecoveryKey {
        let bytes = Zeroizing::new(random_bytes::<20>());
        let mut out = String::with_capacity(RECOVERY_KEY_CHARS);
        // 20 bytes = 160 bits = 32 groups of 5 bits.
        let mut buffer: u64 = 0;
        let mut bits = 0;
        for byte in bytes.iter() {
            buffer = (buffer << 8) | u64::from(*byte);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
            }
        }
        buffer.zeroize();
        RecoveryKey(out)
    }

    /// Reads a key as typed: any case, with or without dashes or spaces, O for 0, I or L for 1.
    /// Returns None when the text is not shaped like a recovery key.
    pub fn parse(text: &str) -> Option<RecoveryKey> {
        let mut out = String::with_capacity(RECOVERY_KEY_CHARS);
        for c in text.chars() {
            let c = match c.to_ascii_uppercase() {
                '-' | ' ' => continue,
                'O' => '0',
                'I' | 'L' => '1',
                c if ALPHABET.contains(&(c as u8)) && c.is_ascii() => c,
                _ => return None,
            };
            out.push(c);
        }
        (out.len() == RECOVERY_KEY_CHARS).then_some(RecoveryKey(out))
    }

    /// The form printed and shown once: eight groups of four.
    pub fn display(&self) -> String {
        self.0
            .as_bytes()
            .chunks(4)
            .map(|group| std::str::from_utf8(group).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("-")
    }

    /// The group of four characters at `index` (0-based), used for the type-back check.
    pub fn group(&self, index: usize) -> &str {
        let start = (index * 4).min(self.0.len());
        &self.0[start..(start + 4).min(self.0.len())]
    }

    /// The canonical characters fed to key derivation.
    pub(super) fn secret(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl std::fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryKey(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_32_characters_in_eight_groups() {
        let key = RecoveryKey::generate();
        let shown = key.display();
        assert_eq!(shown.len(), 39);
        assert_eq!(shown.split('-').count(), 8);
        assert_ne!(key, RecoveryKey::generate());
    }

    #[test]
    fn typing_is_forgiving_about_case_dashes_and_lookalikes() {
        let key = RecoveryKey::parse("ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789").unwrap();
        let typed = RecoveryKey::parse("abcd efgh jkmn pqrs tvwx yzoi 2345 6789").unwrap();
        assert_eq!(key, typed);
        assert_eq!(
            RecoveryKey::parse("ABCDEFGHJKMNPQRSTVWXYZ0L23456789"),
            Some(key.clone())
        );
        assert_eq!(key.group(1), "EFGH");
    }

    #[test]
    fn a_passphrase_is_not_mistaken_for_a_recovery_key() {
        assert_eq!(RecoveryKey::parse("correct horse battery staple"), None);
        assert_eq!(RecoveryKey::parse("ABCD-EFGH"), None);
        assert_eq!(
            RecoveryKey::parse("UUUU-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789"),
            None
        );
    }
}
