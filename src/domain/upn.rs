//! The DfE Unique Pupil Number: a check letter then twelve characters.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The check-letter alphabet: A–Z without I, O and S, indexed 0 to 22.
const CHECK_LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPQRTUVWXYZ";

/// A validated UPN (permanent, or temporary with a final letter).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Upn(String);

/// Why a UPN was refused, worded for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpnError {
    WrongLength(usize),
    BadCharacter { position: usize, found: char },
    WrongCheckLetter { found: char, expected: char },
}

impl fmt::Display for UpnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UpnError::WrongLength(n) => write!(
                f,
                "A UPN has 13 characters (a letter, then 12 digits); this one has {n}."
            ),
            UpnError::BadCharacter { position, found } => write!(
                f,
                "Character {position} of the UPN is \u{201c}{found}\u{201d}: it should be {}.",
                match position {
                    1 => "a letter",
                    13 => "a digit, or a letter for a temporary UPN",
                    _ => "a digit",
                }
            ),
            UpnError::WrongCheckLetter { found, expected } => write!(
                f,
                "The check letter is {found} but the digits give {expected}: a character is probably mistyped."
            ),
        }
    }
}

impl std::error::Error for UpnError {}

impl Upn {
    /// Validates a UPN as typed (spaces ignored, letters upper-cased).
    pub fn parse(text: &str) -> Result<Upn, UpnError> {
        let cleaned: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let chars: Vec<char> = cleaned.chars().collect();
        if chars.len() != 13 {
            return Err(UpnError::WrongLength(chars.len()));
        }
        if !CHECK_LETTERS.contains(&(chars[0] as u8)) || !chars[0].is_ascii_uppercase() {
            return Err(UpnError::BadCharacter {
                position: 1,
                found: chars[0],
            });
        }
        let mut sum = 0u32;
        for (index, &c) in chars.iter().enumerate().skip(1) {
            let position = index + 1;
            let value = match c {
                '0'..='9' => c as u32 - '0' as u32,
                // A temporary UPN ends in a letter, which counts with its check-letter value.
                _ if position == 13 && c.is_ascii_uppercase() => {
                    match CHECK_LETTERS.iter().position(|&l| l as char == c) {
                        Some(v) => v as u32,
                        None => return Err(UpnError::BadCharacter { position, found: c }),
                    }
                }
                _ => return Err(UpnError::BadCharacter { position, found: c }),
            };
            sum += value * position as u32;
        }
        let expected = CHECK_LETTERS[(sum % 23) as usize] as char;
        if chars[0] != expected {
            return Err(UpnError::WrongCheckLetter {
                found: chars[0],
                expected,
            });
        }
        Ok(Upn(cleaned))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Upn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Upn {
    type Error = UpnError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Upn::parse(&text)
    }
}

impl From<Upn> for String {
    fn from(upn: Upn) -> String {
        upn.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_published_examples() {
        assert_eq!(
            Upn::parse("B801200005001").unwrap().as_str(),
            "B801200005001"
        );
        assert!(Upn::parse("P207000016049").is_ok());
        assert!(
            Upn::parse(" b80120000 5001 ").is_ok(),
            "spaces and case are forgiven"
        );
    }

    #[test]
    fn names_the_expected_check_letter_when_it_is_wrong() {
        assert_eq!(
            Upn::parse("A801200005001"),
            Err(UpnError::WrongCheckLetter {
                found: 'A',
                expected: 'B'
            })
        );
        let message = Upn::parse("A801200005001").unwrap_err().to_string();
        assert!(message.contains("check letter is A"), "{message}");
        assert!(message.contains("give B"), "{message}");
    }

    #[test]
    fn refuses_wrong_length_and_bad_characters_with_the_position() {
        assert_eq!(Upn::parse("B80120000500"), Err(UpnError::WrongLength(12)));
        assert_eq!(
            Upn::parse("B8012000X5001"),
            Err(UpnError::BadCharacter {
                position: 9,
                found: 'X'
            })
        );
        assert_eq!(
            Upn::parse("1801200005001"),
            Err(UpnError::BadCharacter {
                position: 1,
                found: '1'
            })
        );
        assert!(matches!(
            Upn::parse("I801200005001"),
            Err(UpnError::BadCharacter { position: 1, .. })
        ));
    }

    #[test]
    fn temporary_upn_final_letter_counts_with_its_check_value() {
        // Build a temporary UPN: digits then a final letter, with the right check letter.
        let body = "80120000500";
        let last = 'Z';
        let mut sum: u32 = body
            .chars()
            .enumerate()
            .map(|(i, c)| c.to_digit(10).unwrap() * (i as u32 + 2))
            .sum();
        sum += 22 * 13; // Z = 22
        let check = CHECK_LETTERS[(sum % 23) as usize] as char;
        let temporary = format!("{check}{body}{last}");
        assert!(Upn::parse(&temporary).is_ok(), "{temporary}");
        // An I, O or S cannot end a temporary UPN.
        assert!(matches!(
            Upn::parse(&format!("{check}{body}S")),
            Err(UpnError::BadCharacter { position: 13, .. })
        ));
    }

    #[test]
    fn a_stored_upn_is_validated_again_when_read() {
        assert!(serde_json::from_str::<Upn>("\"B801200005001\"").is_ok());
        assert!(serde_json::from_str::<Upn>("\"A801200005001\"").is_err());
    }
}
