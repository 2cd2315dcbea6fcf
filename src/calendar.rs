//! 工作日: the State Council holiday notices as data (`rules/calendar/YYYY.yaml`), and deadline
//! arithmetic that says how it counted. A year the calendar does not cover is counted Monday to
//! Friday, and the result says so — never silently.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use jiff::civil::{Date, Weekday};
use jiff::ToSpan;
use serde::Deserialize;

use crate::dates::parse_date;
use crate::document::{yaml, Limits};
use crate::error::InputError;
use crate::source::SourceFile;
use crate::text;
use crate::text::Text;

/// One statutory holiday with the weekend days declared working days for it (调休上班).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Holiday {
    /// 元旦, 春节, …
    pub name: String,
    /// First day off.
    pub from: Date,
    /// Last day off.
    pub to: Date,
    /// Weekend days worked instead.
    pub workdays: Vec<Date>,
}

/// One year's notice.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct YearCalendar {
    /// The year.
    pub year: i16,
    /// The notice it transcribes.
    pub source: String,
    /// The file it was read from.
    pub file: String,
    /// Its holidays.
    pub holidays: Vec<Holiday>,
}

/// How many years past the calendar's last year `pdao deadline` counts working days.
pub const YEARS_PAST_CALENDAR: i16 = 10;

/// The calendar: the years whose notices are known.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct WorkingDayCalendar {
    years: BTreeMap<i16, YearCalendar>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYear {
    year: i16,
    source: String,
    holidays: Vec<RawHoliday>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHoliday {
    name: String,
    from: String,
    to: String,
    #[serde(default)]
    workdays: Vec<String>,
}

/// What counting N working days after a date found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    /// The day counted from (not itself counted).
    pub from: Date,
    /// N.
    pub working_days: u32,
    /// The N-th working day after `from`.
    pub date: Date,
    /// Holidays that fell inside the count, as (name, first, last) clipped to the count.
    pub skipped: Vec<(String, Date, Date)>,
    /// Weekend days counted because they were declared working days.
    pub worked_weekends: Vec<Date>,
    /// Years the count passed through that the calendar does not cover.
    pub uncovered: BTreeSet<i16>,
}

impl WorkingDayCalendar {
    /// Parse one year's file, checking that every date is real, in its year, and that declared
    /// working days fall on weekends. A file may only add a year the calendar does not have:
    /// redefining one (a three-month 元旦 in a shipped year) would move every deadline in it.
    pub fn add_file(&mut self, file: &Arc<SourceFile>) -> Result<i16, InputError> {
        let root = yaml::parse(file, Limits::default()).map_err(|e| e.without_text("YAML/JSON"))?;
        if !matches!(root.value, crate::document::Value::Map(_)) {
            // Not a calendar at all, perhaps not even meant as one: its text is not shown.
            return Err(InputError::whole(
                "pdao::calendar",
                &SourceFile::new(file.name(), ""),
                text!(
                    "节假日文件须为含 year、source、holidays 的映射",
                    "a holiday calendar must be a mapping with year, source and holidays"
                ),
            ));
        }
        let at = |pointer: &str| root.locate(&crate::document::node::parse_pointer(&root, pointer));
        let raw: RawYear = serde_json::from_value(root.to_json()).map_err(|e| {
            InputError::at(
                "pdao::calendar",
                file,
                at(""),
                text!(
                    "节假日文件格式不符：{}",
                    "malformed holiday calendar: {}",
                    e
                ),
            )
        })?;
        if let Some(known) = self.years.get(&raw.year) {
            return Err(InputError::at(
                "pdao::calendar",
                file,
                at("/year"),
                text!(
                    "{} 年的节假日安排已由 {} 收录：节假日文件只能新增未收录的年份，不能重新定义",
                    "the holidays of {} are already known from {}: a calendar file may only add a year, not redefine one",
                    raw.year,
                    known.file
                ),
            )
            .with_help(text!(
                "删除此文件；若国务院的安排有更正，请更新 pdao",
                "remove this file; if the State Council corrected its notice, update pdao"
            )));
        }
        let date = |s: &str, pointer: String| {
            parse_date(s)
                .filter(|d| d.year() == raw.year)
                .ok_or_else(|| {
                    InputError::at(
                        "pdao::calendar",
                        file,
                        at(&pointer),
                        text!(
                            "`{}` 不是 {} 年的日期",
                            "`{}` is not a date in {}",
                            s,
                            raw.year
                        ),
                    )
                })
        };
        let mut holidays = Vec::new();
        for (i, h) in raw.holidays.iter().enumerate() {
            let from = date(&h.from, format!("/holidays/{i}/from"))?;
            let to = date(&h.to, format!("/holidays/{i}/to"))?;
            if to < from {
                return Err(InputError::at(
                    "pdao::calendar",
                    file,
                    at(&format!("/holidays/{i}/to")),
                    text!("假期结束早于开始", "the holiday ends before it starts"),
                ));
            }
            let mut workdays = Vec::new();
            for (j, w) in h.workdays.iter().enumerate() {
                let pointer = format!("/holidays/{i}/workdays/{j}");
                let d = date(w, pointer.clone())?;
                if !is_weekend(d) {
                    return Err(InputError::at(
                        "pdao::calendar",
                        file,
                        at(&pointer),
                        text!(
                            "调休上班日 {} 不是周末",
                            "the declared working day {} is not a weekend day",
                            d
                        ),
                    ));
                }
                workdays.push(d);
            }
            holidays.push(Holiday {
                name: h.name.clone(),
                from,
                to,
                workdays,
            });
        }
        self.years.insert(
            raw.year,
            YearCalendar {
                year: raw.year,
                source: raw.source,
                file: file.name().to_string(),
                holidays,
            },
        );
        Ok(raw.year)
    }

    /// The years covered.
    pub fn years(&self) -> impl Iterator<Item = &YearCalendar> {
        self.years.values()
    }

    /// Whether the calendar has `year`'s notice.
    pub fn covers(&self, year: i16) -> bool {
        self.years.contains_key(&year)
    }

    fn holiday_on(&self, d: Date) -> Option<&Holiday> {
        self.years
            .get(&d.year())?
            .holidays
            .iter()
            .find(|h| h.from <= d && d <= h.to)
    }

    fn declared_workday(&self, d: Date) -> bool {
        self.years
            .get(&d.year())
            .is_some_and(|y| y.holidays.iter().any(|h| h.workdays.contains(&d)))
    }

    /// Whether `d` is a working day: Monday–Friday minus holidays, plus declared weekend days.
    pub fn is_working_day(&self, d: Date) -> bool {
        if self.holiday_on(d).is_some() {
            return false;
        }
        !is_weekend(d) || self.declared_workday(d)
    }

    /// Whether an act on `done` is within `n` working days after `from` whatever the notices of
    /// the years the calendar lacks say: every day of such a year is counted as if it could be
    /// a working day (a weekend may be declared one), so the answer never depends on them.
    pub fn surely_within(&self, from: Date, done: Date, n: u32) -> bool {
        let mut day = from;
        let mut counted: u32 = 0;
        while day < done {
            let Ok(next) = day.checked_add(1.day()) else {
                return false;
            };
            day = next;
            if !self.covers(day.year()) || self.is_working_day(day) {
                counted += 1;
                if counted > n {
                    return false;
                }
            }
        }
        true
    }

    /// The last year whose holiday notice the calendar holds.
    pub fn last_year(&self) -> Option<i16> {
        self.years.keys().next_back().copied()
    }

    /// The last day [`WorkingDayCalendar::add_working_days_within`] counts to for a person's
    /// question: 31 December of the year [`YEARS_PAST_CALENDAR`] years after the calendar's
    /// last year (or after `from`'s year, for a calendar without years). Beyond it nothing is
    /// known of holidays, and a count that far is a mistake rather than a deadline.
    pub fn counting_limit(&self, from: Date) -> Date {
        let last = self.last_year().unwrap_or_else(|| from.year());
        let year = last.saturating_add(YEARS_PAST_CALENDAR).min(9999);
        Date::new(year, 12, 31).unwrap_or(Date::MAX)
    }

    /// The `n`-th working day after `from` (`from` itself not counted, 《民法典》第二百零一条).
    pub fn add_working_days(&self, from: Date, n: u32) -> Deadline {
        // 400 000 days is beyond any deadline in the measure; the bound keeps a hostile N finite.
        let last = from.checked_add(400_000.days()).unwrap_or(Date::MAX);
        self.count(from, n, last).0
    }

    /// [`WorkingDayCalendar::add_working_days`], or `None` when the `n`-th working day would
    /// fall after `last` (or past the last date there is).
    pub fn add_working_days_within(&self, from: Date, n: u32, last: Date) -> Option<Deadline> {
        match self.count(from, n, last) {
            (deadline, true) => Some(deadline),
            (_, false) => None,
        }
    }

    /// Count up to `n` working days after `from`, not past `last`: the deadline reached, and
    /// whether all `n` were counted.
    fn count(&self, from: Date, n: u32, last: Date) -> (Deadline, bool) {
        let mut day = from;
        let mut counted = 0;
        let mut skipped: Vec<(String, Date, Date)> = Vec::new();
        let mut worked_weekends = Vec::new();
        let mut uncovered = BTreeSet::new();
        while counted < n {
            let Some(next) = day.checked_add(1.day()).ok().filter(|d| *d <= last) else {
                break;
            };
            day = next;
            if !self.covers(day.year()) {
                uncovered.insert(day.year());
            }
            if let Some(h) = self.holiday_on(day) {
                match skipped.last_mut() {
                    Some((name, _, last))
                        if *name == h.name && last.tomorrow().ok() == Some(day) =>
                    {
                        *last = day;
                    }
                    _ => skipped.push((h.name.clone(), day, day)),
                }
                continue;
            }
            if is_weekend(day) {
                if self.declared_workday(day) {
                    worked_weekends.push(day);
                } else {
                    continue;
                }
            }
            counted += 1;
        }
        let deadline = Deadline {
            from,
            working_days: n,
            date: day,
            skipped,
            worked_weekends,
            uncovered,
        };
        (deadline, counted >= n)
    }
}

fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

fn month_day(d: Date) -> String {
    format!("{:02}-{:02}", d.month(), d.day())
}

impl Deadline {
    /// How the deadline was computed, e.g. `2025-10-17（2025-09-28 之后第 10 个工作日；跳过国庆节、中秋节
    /// 假期 10-01 至 10-08，10-11 调休上班）`.
    pub fn explain(&self) -> Text {
        let mut zh = vec![format!(
            "{} 之后第 {} 个工作日",
            self.from, self.working_days
        )];
        let mut en = vec![format!(
            "the {} working day after {}",
            ordinal(self.working_days),
            self.from
        )];
        if !self.skipped.is_empty() {
            let parts: Vec<String> = self
                .skipped
                .iter()
                .map(|(name, a, b)| {
                    if a == b {
                        format!("{name}假期 {}", month_day(*a))
                    } else {
                        format!("{name}假期 {} 至 {}", month_day(*a), month_day(*b))
                    }
                })
                .collect();
            zh.push(format!("跳过{}", parts.join("、")));
            let parts_en: Vec<String> = self
                .skipped
                .iter()
                .map(|(name, a, b)| format!("{name} {} to {}", month_day(*a), month_day(*b)))
                .collect();
            en.push(format!("skipping the holidays {}", parts_en.join(", ")));
        }
        if !self.worked_weekends.is_empty() {
            let days: Vec<String> = self.worked_weekends.iter().map(|d| month_day(*d)).collect();
            zh.push(format!("{} 调休上班", days.join("、")));
            en.push(format!("{} worked (调休)", days.join(", ")));
        }
        if !self.uncovered.is_empty() {
            let years: Vec<String> = self.uncovered.iter().map(i16::to_string).collect();
            zh.push(format!(
                "{} 年节假日安排未收录，按周一至周五计算",
                years.join("、")
            ));
            en.push(format!(
                "no holiday notice for {}: counted Monday to Friday",
                years.join(", ")
            ));
        }
        Text::new(
            format!("{}（{}）", self.date, zh.join("；")),
            format!("{} ({})", self.date, en.join("; ")),
        )
    }
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, r) if r != 11 => "st",
        (2, r) if r != 12 => "nd",
        (3, r) if r != 13 => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calendar() -> WorkingDayCalendar {
        let mut c = WorkingDayCalendar::default();
        for (name, text) in [
            ("2025.yaml", include_str!("../rules/calendar/2025.yaml")),
            ("2026.yaml", include_str!("../rules/calendar/2026.yaml")),
        ] {
            c.add_file(&SourceFile::new(name, text)).expect("calendar");
        }
        c
    }

    fn d(s: &str) -> Date {
        parse_date(s).expect(s)
    }

    #[test]
    fn national_day_2025_as_in_the_product_brief() {
        let deadline = calendar().add_working_days(d("2025-09-28"), 10);
        assert_eq!(deadline.date, d("2025-10-17"));
        assert_eq!(
            deadline.explain().zh,
            "2025-10-17（2025-09-28 之后第 10 个工作日；跳过国庆节、中秋节假期 10-01 至 10-08；10-11 调休上班）"
        );
    }

    #[test]
    fn spring_festival_2026_and_declared_saturdays() {
        let c = calendar();
        // 02-13 Fri; 02-14 Sat worked; 02-15..23 off; 02-24 Tue.
        assert_eq!(c.add_working_days(d("2026-02-13"), 1).date, d("2026-02-14"));
        assert_eq!(c.add_working_days(d("2026-02-13"), 2).date, d("2026-02-24"));
        assert!(!c.is_working_day(d("2026-02-23")));
        assert!(c.is_working_day(d("2026-02-28")));
        assert!(!c.is_working_day(d("2026-03-01")));
    }

    #[test]
    fn uncovered_years_count_monday_to_friday_and_say_so() {
        let deadline = calendar().add_working_days(d("2026-12-28"), 10);
        assert_eq!(deadline.uncovered, BTreeSet::from([2027]));
        // 12-29, 30, 31 (2026), then 2027-01-01 (Fri, counted: no 2027 notice), 01-04..08, 01-11.
        assert_eq!(deadline.date, d("2027-01-11"));
        assert!(deadline.explain().zh.contains("2027 年节假日安排未收录"));
    }

    #[test]
    fn counts_stop_at_the_limit() {
        let c = calendar();
        assert_eq!(c.counting_limit(d("2025-01-01")), d("2036-12-31"));
        assert!(c
            .add_working_days_within(d("2026-01-01"), 100_000, d("2036-12-31"))
            .is_none());
        assert!(c
            .add_working_days_within(d("9999-12-30"), 5, Date::MAX)
            .is_none());
        let ten = c
            .add_working_days_within(d("2025-09-28"), 10, d("2036-12-31"))
            .expect("within");
        assert_eq!(ten.date, d("2025-10-17"));
    }

    #[test]
    fn calendar_files_are_checked() {
        let mut c = WorkingDayCalendar::default();
        let bad = "year: 2027\nsource: x\nholidays:\n  - { name: a, from: 2027-01-01, to: 2027-01-01, workdays: [2027-01-04] }\n";
        let err = c
            .add_file(&SourceFile::new("2027.yaml", bad))
            .expect_err("Monday");
        assert!(err.message.zh.contains("不是周末"));
        let wrong_year =
            "year: 2027\nsource: x\nholidays:\n  - { name: a, from: 2026-01-01, to: 2026-01-01 }\n";
        assert!(c
            .add_file(&SourceFile::new("2027.yaml", wrong_year))
            .is_err());
    }

    #[test]
    fn a_calendar_file_adds_years_and_never_redefines_one() {
        let mut c = calendar();
        let long_new_year = "year: 2026\nsource: x\nholidays:\n  - { name: 元旦, from: 2026-01-01, to: 2026-03-31 }\n";
        let err = c
            .add_file(&SourceFile::new("mine/2026.yaml", long_new_year))
            .expect_err("2026 is known");
        assert!(err.message.en.contains("2026.yaml"), "{:?}", err.message);
        assert!(c.is_working_day(d("2026-02-02")), "unchanged");
        let year_2027 = "year: 2027\nsource: x\nholidays:\n  - { name: 元旦, from: 2027-01-01, to: 2027-01-01 }\n";
        assert_eq!(
            c.add_file(&SourceFile::new("2027.yaml", year_2027)).ok(),
            Some(2027)
        );
        assert!(c
            .add_file(&SourceFile::new("again.yaml", year_2027))
            .is_err());
    }
}
