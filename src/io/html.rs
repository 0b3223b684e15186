//! Text made safe to place in HTML, for the few tables built as markup in one go (the
//! provision map's rows: building each as its own node took longer than a frame).

/// `text` with `&`, `<`, `>`, `"` and `'` written as entities, safe in element content and
/// in a double- or single-quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_in_a_name_is_shown_as_text_never_run() {
        assert_eq!(
            escape("<img src=x onerror=\"alert('hi')\"> & Co"),
            "&lt;img src=x onerror=&quot;alert(&#39;hi&#39;)&quot;&gt; &amp; Co"
        );
        assert_eq!(escape("O'Brien, Siân"), "O&#39;Brien, Siân");
    }
}
