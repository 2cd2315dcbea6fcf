//! Dates as documents write them, and terms counted in years per 《民法典》第二百零一条、第二百零二条.

use jiff::civil::Date;
use jiff::ToSpan;

/// Parse `2026-03-01` or `2026年3月1日` into a real calendar day.
pub fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    let (y, m, d) = if let Some(rest) = text.strip_suffix('日') {
        let (y, rest) = rest.split_once('年')?;
        let (m, d) = rest.split_once('月')?;
        (y, m, d)
    } else {
        let mut parts = text.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        (y, m, d)
    };
    let number = |s: &str| -> Option<i16> {
        if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let (y, m, d) = (number(y)?, number(m)?, number(d)?);
    Date::new(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
}

/// The last day of an N-year term whose first day is `start`: (start − 1 day) + N years, taking
/// the month's last day where the corresponding day does not exist (jiff clamps the same way).
/// `None` past the calendar's end (year 9999), whatever N a rule pack gives.
pub fn term_last_day(start: Date, years: u32) -> Option<Date> {
    let before = start.checked_sub(1.day()).ok()?;
    // `i64::years()` panics past jiff's span limits; a rule pack may say `max_years: 4000000000`.
    let span = jiff::Span::new().try_years(i64::from(years)).ok()?;
    before.checked_add(span).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        parse_date(s).expect(s)
    }

    #[test]
    fn both_written_forms_and_only_real_days() {
        assert_eq!(d("2026年3月1日"), d("2026-03-01"));
        assert!(parse_date("2026-02-30").is_none());
        assert!(parse_date("2026-3-1").is_none());
        assert!(parse_date("26-03-01").is_none());
        assert!(parse_date("2026年13月1日").is_none());
    }

    #[test]
    fn civil_code_year_terms() {
        assert_eq!(term_last_day(d("2026-01-01"), 5), Some(d("2030-12-31")));
        assert_eq!(term_last_day(d("2028-02-29"), 5), Some(d("2033-02-28")));
        assert_eq!(term_last_day(d("2028-03-01"), 5), Some(d("2033-02-28")));
        assert_eq!(term_last_day(d("2026-03-01"), 5), Some(d("2031-02-28")));
    }

    #[test]
    fn terms_past_the_calendar_are_none_not_a_panic() {
        assert_eq!(term_last_day(d("2026-01-01"), 20_000), None);
        assert_eq!(term_last_day(d("2026-01-01"), u32::MAX), None);
    }
}
