//! The SENCO's EHC dates as an iCalendar file (RFC 5545): one all-day event per meeting or
//! deadline, each with the stable id it was given (see `domain::ehc::calendar`).
//!
//! Written here rather than with the `icalendar` crate: that crate brings `uuid` (and a
//! second `getrandom`) and `iso8601` into the download for the six properties an all-day
//! event needs. The tests read the file back with that crate's parser.

use crate::domain::ehc::calendar::CaseEvent;
use chrono::{DateTime, Days, Utc};

/// The whole file: CRLF line ends, long lines folded, text escaped.
pub fn calendar_file(events: &[CaseEvent], made: DateTime<Utc>) -> String {
    let stamp = made.format("%Y%m%dT%H%M%SZ").to_string();
    let mut out = String::with_capacity(200 + events.len() * 200);
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Senco Desk//EHC dates//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:EHC dates (Senco Desk)",
    ] {
        push_line(&mut out, line);
    }
    for event in events {
        let next_day = event.on.checked_add_days(Days::new(1)).unwrap_or(event.on);
        push_line(&mut out, "BEGIN:VEVENT");
        push_line(&mut out, &format!("UID:{}", escape(&event.uid)));
        push_line(&mut out, &format!("DTSTAMP:{stamp}"));
        push_line(
            &mut out,
            &format!("DTSTART;VALUE=DATE:{}", event.on.format("%Y%m%d")),
        );
        push_line(
            &mut out,
            &format!("DTEND;VALUE=DATE:{}", next_day.format("%Y%m%d")),
        );
        push_line(&mut out, &format!("SUMMARY:{}", escape(&event.summary)));
        push_line(&mut out, "TRANSP:TRANSPARENT");
        push_line(&mut out, "CLASS:PRIVATE");
        push_line(&mut out, "END:VEVENT");
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

/// TEXT values escape backslash, semicolon, comma and line breaks (RFC 5545 3.3.11).
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            ';' => escaped.push_str("\\;"),
            ',' => escaped.push_str("\\,"),
            '\n' => escaped.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => escaped.push(c),
        }
    }
    escaped
}

/// Adds a content line, folded so no line is longer than 75 octets: a break and a space
/// before each further part, never inside a character (RFC 5545 3.1).
fn push_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

// Native only: the parser the tests read back with is a native dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone};
    use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime};

    fn event(uid: &str, on: (i32, u32, u32), summary: &str) -> CaseEvent {
        CaseEvent {
            uid: uid.into(),
            on: NaiveDate::from_ymd_opt(on.0, on.1, on.2).unwrap(),
            summary: summary.into(),
        }
    }

    fn read_back(text: &str) -> Vec<(String, NaiveDate, String)> {
        let calendar: Calendar = text.parse().expect("a calendar another program can read");
        calendar
            .components
            .iter()
            .filter_map(|c| match c {
                CalendarComponent::Event(e) => Some(e),
                _ => None,
            })
            .map(|e| {
                let Some(DatePerhapsTime::Date(on)) = e.get_start() else {
                    panic!("an all-day event");
                };
                (
                    e.get_uid().unwrap().to_string(),
                    on,
                    e.get_summary().unwrap().to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn each_event_reads_back_with_its_id_day_and_words() {
        let made = Utc.with_ymd_and_hms(2026, 12, 1, 9, 30, 0).unwrap();
        let events = [
            event("a1-meeting@senco-desk", (2027, 3, 10), "EHC-0142: Review meeting"),
            event(
                "a1-la-decision@senco-desk",
                (2027, 4, 7),
                "EHC-0142: Local authority's decision (with any proposed amendments), and a comma; too",
            ),
        ];
        let text = calendar_file(&events, made);
        assert!(
            text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
            "{text}"
        );
        assert!(text.contains("DTSTART;VALUE=DATE:20270310\r\nDTEND;VALUE=DATE:20270311\r\n"));
        assert!(text.contains("DTSTAMP:20261201T093000Z\r\n"));
        assert!(text.lines().all(|l| l.trim_end_matches('\r').len() <= 75));
        assert_eq!(
            read_back(&text),
            [
                (
                    "a1-meeting@senco-desk".to_string(),
                    NaiveDate::from_ymd_opt(2027, 3, 10).unwrap(),
                    "EHC-0142: Review meeting".to_string()
                ),
                (
                    "a1-la-decision@senco-desk".to_string(),
                    NaiveDate::from_ymd_opt(2027, 4, 7).unwrap(),
                    "EHC-0142: Local authority's decision (with any proposed amendments), and a comma; too".to_string()
                ),
            ]
        );
    }

    #[test]
    fn a_long_line_of_wide_characters_folds_between_characters() {
        let mut out = String::new();
        push_line(&mut out, &format!("SUMMARY:{}", "é".repeat(60)));
        let lines: Vec<&str> = out.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| l.len() <= 75));
        assert!(lines[1].starts_with(' '));
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{}\r\n", "é".repeat(60)));
    }

    #[test]
    fn line_breaks_and_control_characters_cannot_start_a_property() {
        assert_eq!(escape("a\r\nDTSTART:1\u{7}"), "a\\nDTSTART:1");
        assert_eq!(escape(r"back\slash"), r"back\\slash");
    }
}
