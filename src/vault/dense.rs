//! Dense text for sealed bytes: 15 bits in each UTF-16 unit, where base64 carries 6.
//! localStorage counts every UTF-16 unit against its quota, so this stores the same record
//! in about 40% of the space. The exact scheme is in docs/FORMAT.md ("Record text").
//!
//! The bytes are read as one bit string, most significant bit first, and cut into 15-bit
//! groups; each group `g` is the character U+4000 + g (U+4000 to U+BFFF). A final group of
//! 8 to 14 bits is padded with zero bits to 15 and written the same way; a final group of
//! 1 to 7 bits is padded with zero bits to 7 and written as U+3400 + g (U+3400 to U+347F).
//! Padding is always fewer than 8 bits, so the byte count is the bit count divided by 8,
//! rounded down. Every character used is a Unicode scalar value below the surrogates
//! (U+D800), none is a control character or a noncharacter, and JSON needs no escape for
//! any of them.
//!
//! Hand-written rather than taken from the `base32768` crate (an unmaintained 0.1, with a
//! repertoire of its own to document): it is a few dozen lines, and tested for every length
//! up to 200 bytes, every one-character text, and by property tests on random input.

/// The first character of the 15-bit range (32,768 characters, up to U+BFFF).
pub const WIDE_BASE: u32 = 0x4000;
/// The first character of the 7-bit range for a short final group (128, up to U+347F).
pub const NARROW_BASE: u32 = 0x3400;

const WIDE_BITS: u32 = 15;
const NARROW_BITS: u32 = 7;

/// The text of `bytes`: `ceil(8n / 15)` characters, each one UTF-16 unit.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity((bytes.len() * 8).div_ceil(15) * 3);
    let mut acc: u32 = 0;
    let mut held: u32 = 0;
    for &byte in bytes {
        acc = (acc << 8) | u32::from(byte);
        held += 8;
        if held >= WIDE_BITS {
            held -= WIDE_BITS;
            push(&mut out, WIDE_BASE + (acc >> held));
            acc &= (1 << held) - 1;
        }
    }
    match held {
        0 => {}
        1..=7 => push(&mut out, NARROW_BASE + (acc << (NARROW_BITS - held))),
        _ => push(&mut out, WIDE_BASE + (acc << (WIDE_BITS - held))),
    }
    out
}

/// The bytes, or None for a character outside the two ranges, a narrow character anywhere
/// but last, or a tail that [`encode`] would not have written (padding that is not zero, or
/// a narrow character that completes no byte), so each byte string has exactly one text.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 3 * 15 / 8 + 1);
    let mut acc: u32 = 0;
    let mut held: u32 = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let code = u32::from(c);
        let (value, bits) = if (WIDE_BASE..WIDE_BASE + (1 << WIDE_BITS)).contains(&code) {
            (code - WIDE_BASE, WIDE_BITS)
        } else if (NARROW_BASE..NARROW_BASE + (1 << NARROW_BITS)).contains(&code)
            && chars.peek().is_none()
        {
            // Only for 1 to 7 final bits: with 7 bits of padding it would add no byte.
            if held + NARROW_BITS < 8 {
                return None;
            }
            (code - NARROW_BASE, NARROW_BITS)
        } else {
            return None;
        };
        acc = (acc << bits) | value;
        held += bits;
        while held >= 8 {
            held -= 8;
            out.push((acc >> held) as u8);
            acc &= (1 << held) - 1;
        }
    }
    // What is left is padding: fewer than 8 bits by construction, and all zero.
    (acc == 0).then_some(out)
}

fn push(out: &mut String, code: u32) {
    out.push(char::from_u32(code).expect("both ranges lie below the surrogates"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_length_up_to_200_round_trips_in_range() {
        for len in 0..=200usize {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 151 + len * 7) as u8).collect();
            let text = encode(&bytes);
            assert_eq!(decode(&text).as_deref(), Some(&bytes[..]), "length {len}");
            assert_eq!(text.chars().count(), (len * 8).div_ceil(15), "length {len}");
            let units = text.encode_utf16().count();
            assert_eq!(units, text.chars().count(), "one UTF-16 unit each");
            for c in text.chars() {
                let code = u32::from(c);
                assert!(
                    (0x3400..0x3480).contains(&code) || (0x4000..0xC000).contains(&code),
                    "{code:X}"
                );
            }
        }
    }

    #[test]
    fn the_examples_in_the_format_document_hold() {
        assert_eq!(encode(&[0x41]), "\u{6080}");
        assert_eq!(encode(&[0xAB, 0xCD]), "\u{95E6}\u{3440}");
        assert_eq!(encode(&[]), "");
    }

    #[test]
    fn all_ones_and_all_zeros_round_trip() {
        for len in 0..=40 {
            for fill in [0x00, 0xff, 0x80, 0x01] {
                let bytes = vec![fill; len];
                assert_eq!(decode(&encode(&bytes)), Some(bytes));
            }
        }
    }

    #[test]
    fn every_short_input_has_exactly_one_encoding() {
        // Every one- and two-character string: decode accepts it only if encoding what it
        // gives writes the same string back.
        let chars: Vec<char> = (0x3400..0x3480)
            .chain(0x4000..0xC000)
            .chain([0x20, 0x41, 0x33FF, 0x3480, 0x3FFF, 0xC000, 0xFFFD])
            .filter_map(char::from_u32)
            .collect();
        for a in &chars {
            let one = a.to_string();
            if let Some(bytes) = decode(&one) {
                assert_eq!(encode(&bytes), one);
            }
        }
        let narrow_tails: Vec<char> = (0x3400..0x3480).filter_map(char::from_u32).collect();
        for a in (0x4000..0xC000).step_by(97).filter_map(char::from_u32) {
            for b in chars.iter().step_by(3).chain(&narrow_tails) {
                let two: String = [a, *b].iter().collect();
                if let Some(bytes) = decode(&two) {
                    assert_eq!(encode(&bytes), two);
                }
            }
        }
    }

    #[test]
    fn foreign_characters_and_bad_tails_are_refused() {
        let good = encode(b"some sealed bytes");
        for bad in [
            "A",
            "=",
            " ",
            "\u{3FFF}",
            "\u{C000}",
            "\u{FFFD}",
            "\u{1F600}",
            "\u{33FF}",
            "\u{3480}",
        ] {
            assert_eq!(decode(bad), None, "{bad:?}");
            assert_eq!(decode(&format!("{good}{bad}")), None, "{bad:?} at the end");
            assert_eq!(
                decode(&format!("{bad}{good}")),
                None,
                "{bad:?} at the start"
            );
        }
        // A narrow character anywhere but last.
        assert_eq!(decode("\u{3400}\u{4000}"), None);
        // One byte (8 bits): U+4000 + (0x41 << 7). Padding bits set are refused.
        assert_eq!(decode("\u{6080}"), Some(vec![0x41]));
        assert_eq!(decode("\u{6081}"), None);
        // 15 bits then a narrow tail: 2 bytes and 6 bits of padding must be zero.
        let two = encode(&[0xAB, 0xCD]);
        assert_eq!(two.chars().count(), 2);
        let last = two.chars().last().unwrap();
        assert!((0x3400..0x3480).contains(&u32::from(last)));
        let mut flipped: String = two.chars().take(1).collect();
        flipped.push(char::from_u32(u32::from(last) | 1).unwrap());
        assert_eq!(decode(&flipped), None);
        // A narrow tail carrying no data bit: 15 bytes are exactly 8 wide characters, so a
        // narrow one after them would be 7 bits of padding alone.
        let fifteen = encode(&[7; 15]);
        assert_eq!(fifteen.chars().count(), 8);
        assert_eq!(decode(&fifteen), Some(vec![7; 15]));
        assert_eq!(decode(&format!("{fifteen}\u{3400}")), None);
        assert_eq!(decode(""), Some(Vec::new()));
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn random_bytes_round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
            let text = encode(&bytes);
            prop_assert_eq!(decode(&text), Some(bytes.clone()));
            prop_assert_eq!(text.encode_utf16().count(), (bytes.len() * 8).div_ceil(15));
            for unit in text.encode_utf16() {
                prop_assert!(!(0xD800..0xE000).contains(&unit));
                prop_assert!((0x3400..0x3480).contains(&unit) || (0x4000..0xC000).contains(&unit));
            }
        }

        #[test]
        fn decode_never_panics_and_only_accepts_canonical_text(
            chars in proptest::collection::vec(any::<char>(), 0..40)
        ) {
            let text: String = chars.into_iter().collect();
            if let Some(bytes) = decode(&text) {
                prop_assert_eq!(encode(&bytes), text);
            }
        }

        #[test]
        fn dense_characters_decode_only_canonically(
            codes in proptest::collection::vec(0x3400u32..0xC000, 0..40)
        ) {
            let text: String = codes.into_iter().filter_map(char::from_u32).collect();
            if let Some(bytes) = decode(&text) {
                prop_assert_eq!(encode(&bytes), text);
            }
        }
    }
}
