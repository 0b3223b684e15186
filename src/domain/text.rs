//! Small pieces of wording shared by every screen.

/// A count the British way: 2000 as "2,000".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A count with its noun: "1 pupil", "2,000 pupils". Regular plurals only.
pub fn count(n: usize, noun: &str) -> String {
    format!("{} {noun}{}", thousands(n), if n == 1 { "" } else { "s" })
}

/// A size the way a file manager shows it: "340 KB", "2.1 MB" (1 KB = 1,000 bytes).
/// Integer arithmetic: float formatting would add kilobytes to the download.
pub fn file_size(bytes: usize) -> String {
    if bytes < 1_000_000 {
        format!("{} KB", bytes.div_ceil(1000))
    } else {
        let tenths = (bytes + 50_000) / 100_000;
        format!("{}.{} MB", thousands(tenths / 10), tenths % 10)
    }
}

/// What a long text box says under it as the SENCO types: characters left before
/// `limit`, counted as the checks on saving count them (characters, not bytes).
pub fn characters_left(text: &str, limit: usize) -> String {
    let used = text.chars().count();
    if used > limit {
        let over = used - limit;
        format!("{} too many", count(over, "character"))
    } else {
        format!("{} left", count(limit - used, "character"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn point_9_a_long_text_box_counts_the_characters_left() {
        assert_eq!(characters_left("", 4_000), "4,000 characters left");
        assert_eq!(characters_left("Ça va", 6), "1 character left");
        assert_eq!(characters_left("Ça va", 5), "0 characters left");
        assert_eq!(characters_left("Ça va!!", 5), "2 characters too many");
    }

    #[test]
    fn counts_have_commas_every_three_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(2000), "2,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn counts_name_their_noun_in_the_singular_only_for_one() {
        assert_eq!(count(0, "note"), "0 notes");
        assert_eq!(count(1, "pupil"), "1 pupil");
        assert_eq!(count(2000, "record"), "2,000 records");
    }

    #[test]
    fn sizes_read_like_a_file_manager() {
        assert_eq!(file_size(1), "1 KB");
        assert_eq!(file_size(340_200), "341 KB");
        assert_eq!(file_size(2_149_999), "2.1 MB");
        assert_eq!(file_size(10_960_000), "11.0 MB");
    }
}
