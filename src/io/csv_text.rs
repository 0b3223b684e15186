//! An MIS export as text, then as a table of trimmed cells with the line each row starts on.

use std::fmt;

/// The most data rows and columns one file may have: far more than any school, and small
/// enough that a wrong file (a whole-trust export, a database dump) is refused quickly.
pub const MAX_ROWS: usize = 10_000;
pub const MAX_COLUMNS: usize = 200;

/// How the file's bytes were written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf8WithBom,
    /// Excel's "Unicode text" save: UTF-16 with a byte-order mark.
    Utf16,
    /// Older Excel and MIS "CSV" saves on Windows.
    Windows1252,
}

/// Windows-1252 bytes 0x80 to 0x9F; the five it leaves undefined keep their own code point.
///
/// Written by hand: this 32-entry table is all Windows-1252 needs beyond Latin-1, where an
/// encoding crate would add every encoding's tables to the wasm download.
const WINDOWS_1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

/// Reads a file's bytes as text: UTF-8 (a byte-order mark removed), UTF-16 with a
/// byte-order mark, and anything else as Windows-1252, which never fails.
pub fn decode(bytes: &[u8]) -> (String, TextEncoding) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        if let Ok(text) = std::str::from_utf8(rest) {
            return (text.to_string(), TextEncoding::Utf8WithBom);
        }
    }
    let utf16 = |rest: &[u8], big_endian: bool| {
        let units = rest.chunks(2).map(|pair| match (pair, big_endian) {
            ([a, b], true) => u16::from_be_bytes([*a, *b]),
            ([a, b], false) => u16::from_le_bytes([*a, *b]),
            _ => 0xFFFD,
        });
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect::<String>()
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return (utf16(rest, false), TextEncoding::Utf16);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return (utf16(rest, true), TextEncoding::Utf16);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.to_string(), TextEncoding::Utf8);
    }
    let text = bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => WINDOWS_1252_HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect();
    (text, TextEncoding::Windows1252)
}

/// A file read as rows of trimmed cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The delimiter found on the heading line: `,`, `;` or tab.
    pub delimiter: u8,
    pub headings: Vec<String>,
    /// Rows with at least one non-blank cell, each as long as `headings` or longer.
    pub rows: Vec<TableRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    /// The 1-based line in the file where the row starts (the heading is line 1; a quoted
    /// cell with line breaks pushes later rows further down).
    pub line: usize,
    pub cells: Vec<String>,
}

/// Why a file could not be read as a table, worded for the person who chose it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvError {
    Empty,
    NoRows,
    /// More than [`MAX_ROWS`] pupil rows, or more than [`MAX_COLUMNS`] columns.
    TooLarge {
        what: TooLarge,
        limit: usize,
    },
    /// Control characters a text file never has: a spreadsheet or other binary file.
    NotText {
        line: usize,
    },
    Unreadable {
        line: usize,
        reason: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TooLarge {
    Rows,
    Columns,
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CsvError::Empty => f.write_str("The file is empty."),
            CsvError::NoRows => f.write_str("The file has a heading line but no pupils."),
            CsvError::TooLarge { what, limit } => write!(
                f,
                "The file has more than {} {}, the most Senco Desk reads from one file. \
                 Check it is the right export, or split it into smaller files.",
                thousands(*limit),
                match what {
                    TooLarge::Rows => "pupil rows",
                    TooLarge::Columns => "columns",
                }
            ),
            CsvError::NotText { line } => write!(
                f,
                "The file is not text (line {line} holds binary data): it may be a spreadsheet. \
                 Save the export as CSV and choose that file."
            ),
            CsvError::Unreadable { line, reason } => {
                write!(f, "Line {line} could not be read: {reason}")
            }
        }
    }
}

impl std::error::Error for CsvError {}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The delimiter used most on the heading line, outside quotes: comma, semicolon or tab
/// (comma when none, or on a tie).
fn detect_delimiter(text: &str) -> u8 {
    let (mut in_quotes, mut counts) = (false, [0usize; 3]);
    for c in text.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            '\n' | '\r' if !in_quotes => break,
            ',' if !in_quotes => counts[0] += 1,
            ';' if !in_quotes => counts[1] += 1,
            '\t' if !in_quotes => counts[2] += 1,
            _ => {}
        }
    }
    let delimiters = [b',', b';', b'\t'];
    let best = (0..3).fold(0, |best, i| if counts[i] > counts[best] { i } else { best });
    delimiters[best]
}

/// The first line holding a character no text file has (NUL and other C0 controls
/// besides tab and line ends), which means a binary file such as .xlsx.
fn binary_line(text: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            line.chars()
                .any(|c| c.is_control() && c < ' ' && !matches!(c, '\t' | '\r' | '\n'))
        })
        .map(|index| index + 1)
}

/// Reads text as a table: delimiter found from the heading line, cells trimmed, blank rows
/// skipped and short rows padded to the headings' length.
pub fn read_table(text: &str) -> Result<Table, CsvError> {
    if text.trim().is_empty() {
        return Err(CsvError::Empty);
    }
    if let Some(line) = binary_line(text) {
        return Err(CsvError::NotText { line });
    }
    let delimiter = detect_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut headings: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut lines = LineCounter {
        bytes: text.as_bytes(),
        at: 0,
        line: 1,
    };
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => {
                let start = error.position().unwrap_or(reader.position()).byte();
                let line = lines.line_at(usize::try_from(start).unwrap_or(usize::MAX));
                return Err(unreadable(&error, line));
            }
        }
        let start = record
            .position()
            .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
        let line = lines.line_at(start);
        let mut cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        let Some(headings) = &headings else {
            if cells.len() > MAX_COLUMNS {
                return Err(too_large(TooLarge::Columns));
            }
            headings = Some(cells);
            continue;
        };
        // Blank cells past the last heading (a trailing delimiter) are dropped.
        while cells.len() > headings.len() && cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        if cells.len() > MAX_COLUMNS {
            return Err(too_large(TooLarge::Columns));
        }
        cells.resize(cells.len().max(headings.len()), String::new());
        rows.push(TableRow { line, cells });
        if rows.len() > MAX_ROWS {
            return Err(too_large(TooLarge::Rows));
        }
    }
    let headings = headings.ok_or(CsvError::Empty)?;
    if rows.is_empty() {
        return Err(CsvError::NoRows);
    }
    Ok(Table {
        delimiter,
        headings,
        rows,
    })
}

/// Line numbers from byte offsets, counted forward as the rows are read. csv's own
/// `Position::line()` comes out one short in a CRLF file (seen in the tests), so lines
/// are counted here: LF, CRLF and a lone CR each end one.
struct LineCounter<'a> {
    bytes: &'a [u8],
    at: usize,
    line: usize,
}

impl LineCounter<'_> {
    /// The line of the record that csv says starts at `start`, which may be just before
    /// the previous record's line end; a record never starts with a line break.
    fn line_at(&mut self, start: usize) -> usize {
        let mut start = start.min(self.bytes.len());
        while matches!(self.bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        for index in self.at..start.max(self.at) {
            match self.bytes[index] {
                b'\n' => self.line += 1,
                b'\r' if self.bytes.get(index + 1) != Some(&b'\n') => self.line += 1,
                _ => {}
            }
        }
        self.at = start.max(self.at);
        self.line
    }
}

fn too_large(what: TooLarge) -> CsvError {
    let limit = match what {
        TooLarge::Rows => MAX_ROWS,
        TooLarge::Columns => MAX_COLUMNS,
    };
    CsvError::TooLarge { what, limit }
}

/// A csv error in plain words, never quoting the cells (they hold pupils' details).
fn unreadable(error: &csv::Error, line: usize) -> CsvError {
    let reason = match error.kind() {
        csv::ErrorKind::Utf8 { .. } => "it holds characters that are not text.",
        csv::ErrorKind::UnequalLengths { .. } => "it has a different number of cells.",
        _ => "the file could not be read to the end.",
    };
    CsvError::Unreadable {
        line,
        reason: reason.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table {
        read_table(text).expect("reads")
    }

    #[test]
    fn windows_1252_table_matches_the_standard() {
        let (text, encoding) = decode(b"\x80\x81\x92\x93\x94\x9D\x9F \xE9\xEB\xFF");
        assert_eq!(encoding, TextEncoding::Windows1252);
        assert_eq!(
            text,
            "\u{20AC}\u{81}\u{2019}\u{201C}\u{201D}\u{9D}\u{178} \u{e9}\u{eb}\u{ff}"
        );
    }

    #[test]
    fn utf8_with_and_without_bom_and_utf16() {
        assert_eq!(
            decode("\u{feff}Zoë".as_bytes()),
            ("Zoë".to_string(), TextEncoding::Utf8WithBom)
        );
        assert_eq!(
            decode("Zoë".as_bytes()),
            ("Zoë".to_string(), TextEncoding::Utf8)
        );
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend("Zoë\tA".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&utf16), ("Zoë\tA".to_string(), TextEncoding::Utf16));
    }

    #[test]
    fn delimiter_is_the_commonest_outside_quotes_comma_on_a_tie() {
        assert_eq!(detect_delimiter("a;b;c,d\n1,2,3"), b';');
        assert_eq!(detect_delimiter("\"a;b;c\",d\n"), b',');
        assert_eq!(detect_delimiter("a\tb\tc\n"), b'\t');
        assert_eq!(detect_delimiter("a;b,c\n"), b',');
        assert_eq!(detect_delimiter("surname\n"), b',');
    }

    #[test]
    fn cells_are_trimmed_blank_rows_skipped_short_rows_padded() {
        let t = table(
            " Surname , Forename ,DOB\r\n Ng ,Li\r\n,,\r\n\r\nOkoro,Ada,1/2/2019,extra,,\r\n",
        );
        assert_eq!(t.headings, ["Surname", "Forename", "DOB"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].cells, ["Ng", "Li", ""]);
        assert_eq!(t.rows[0].line, 2);
        assert_eq!(t.rows[1].cells, ["Okoro", "Ada", "1/2/2019", "extra"]);
        assert_eq!(t.rows[1].line, 5);
    }

    #[test]
    fn line_numbers_count_crlf_lf_and_quoted_line_breaks() {
        for end in ["\r\n", "\n", "\r"] {
            let text = [
                "Name,Note",
                "\"Ada\",\"two",
                "lines\"",
                "",
                "Ben,\"say \"\"hi\"\"\"",
                "Cy,x",
            ]
            .join(end);
            let t = table(&text);
            let lines: Vec<usize> = t.rows.iter().map(|r| r.line).collect();
            assert_eq!(lines, [2, 5, 6], "line end {end:?}");
            assert_eq!(t.rows[0].cells[1], format!("two{end}lines"));
            assert_eq!(t.rows[1].cells[1], "say \"hi\"");
        }
    }

    #[test]
    fn errors_are_plain_words() {
        assert_eq!(read_table(""), Err(CsvError::Empty));
        assert_eq!(read_table(" \r\n\n"), Err(CsvError::Empty));
        assert_eq!(read_table("Surname,Forename\n,\n"), Err(CsvError::NoRows));
        assert_eq!(CsvError::Empty.to_string(), "The file is empty.");
        assert_eq!(
            CsvError::NoRows.to_string(),
            "The file has a heading line but no pupils."
        );
        let wide = vec!["x"; 201].join(",") + "\n" + &vec!["1"; 201].join(",");
        let error = read_table(&wide).unwrap_err();
        assert_eq!(
            error,
            CsvError::TooLarge {
                what: TooLarge::Columns,
                limit: 200
            }
        );
        assert!(error.to_string().contains("more than 200 columns"));
        let unreadable = CsvError::Unreadable {
            line: 7,
            reason: "it has a different number of cells.".into(),
        };
        assert_eq!(
            unreadable.to_string(),
            "Line 7 could not be read: it has a different number of cells."
        );
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(10_000), "10,000");
        assert_eq!(thousands(200), "200");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
