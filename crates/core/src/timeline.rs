//! A dated timeline (`docs/timeline.md`): civil dates in the proleptic Gregorian calendar,
//! offsets of years, months and days, and the dates of milestones that follow ratification or
//! one another.
//!
//! Adding an offset adds the years and months first, keeping the day of the month unless that
//! month is shorter (then its last day: 31 January + 1 month is 28 or 29 February, 29 February +
//! 1 year is 28 February), then the days. This is ISO 8601 calendar arithmetic as
//! `java.time.LocalDate.plusMonths` and Python's `dateutil.relativedelta` do it.

use std::fmt;

/// A day of the proleptic Gregorian calendar, years 1 to 9999.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u32,
    day: u32,
}

/// How long after an event: years, then months, then days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Offset {
    pub years: u32,
    pub months: u32,
    pub days: u32,
}

fn leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if leap(year) => 29,
        2 => 28,
        _ => 31,
    }
}

/// Days since 1970-01-01 (negative before), by Howard Hinnant's `days_from_civil`.
fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year as i64 - 1 } else { year as i64 };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date `days` after 1970-01-01, by Howard Hinnant's `civil_from_days`.
fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

impl Date {
    /// `YYYY-MM-DD`, exactly: four digits, two, two; a day that exists; years 1 to 9999.
    pub fn parse(text: &str) -> Result<Date, String> {
        let bad = || format!("{text:?} is not a date written YYYY-MM-DD (such as 2027-03-15)");
        let b = text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let digits = |s: &str| -> Result<u32, String> {
            if s.bytes().all(|c| c.is_ascii_digit()) {
                s.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let (year, month, day) = (digits(&text[..4])?, digits(&text[5..7])?, digits(&text[8..])?);
        Date::new(year as i32, month, day).ok_or_else(|| format!("{text} is not a day of the calendar"))
    }

    /// The date, if it exists (years 1 to 9999).
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let valid = (1..=9999).contains(&year) && (1..=12).contains(&month) && day >= 1;
        (valid && day <= days_in_month(year, month)).then_some(Date { year, month, day })
    }

    /// The date of a Unix time (seconds since 1970-01-01T00:00:00Z), in UTC.
    pub fn from_unix(seconds: u64) -> Option<Date> {
        let (year, month, day) = civil_from_days((seconds / 86_400) as i64);
        Date::new(year, month, day)
    }

    pub fn year(&self) -> i32 {
        self.year
    }

    pub fn month(&self) -> u32 {
        self.month
    }

    pub fn day(&self) -> u32 {
        self.day
    }

    /// This date moved by `offset`, or `None` past the year 9999.
    pub fn after(self, offset: Offset) -> Option<Date> {
        let months = self.year as i64 * 12 + (self.month as i64 - 1) + offset.years as i64 * 12 + offset.months as i64;
        let (year, month) = (months.div_euclid(12), months.rem_euclid(12) as u32 + 1);
        if year > 9999 {
            return None;
        }
        let year = year as i32;
        let day = self.day.min(days_in_month(year, month));
        let (year, month, day) = civil_from_days(days_from_civil(year, month, day) + offset.days as i64);
        Date::new(year, month, day)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Offset {
    /// At most 100 years, 1,200 months and 36,500 days.
    pub fn check(&self) -> Result<(), String> {
        if self.years > 100 || self.months > 1200 || self.days > 36_500 {
            return Err("a milestone comes at most 100 years, 1200 months and 36500 days after its event".into());
        }
        Ok(())
    }
}

/// A milestone to date: after ratification (`after: None`) or after the milestone at index `k`
/// of the same list, which must come before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Milestone {
    pub after: Option<usize>,
    pub offset: Offset,
}

/// Every milestone's date, in order, given the date of ratification.
pub fn schedule(ratified: Date, milestones: &[Milestone]) -> Result<Vec<Date>, String> {
    let mut dates: Vec<Date> = Vec::with_capacity(milestones.len());
    for (k, m) in milestones.iter().enumerate() {
        m.offset.check()?;
        let from = match m.after {
            None => ratified,
            Some(j) if j < k => dates[j],
            Some(j) => {
                return Err(format!("milestone {} follows milestone {}, which does not come before it", k + 1, j + 1))
            }
        };
        dates.push(from.after(m.offset).ok_or_else(|| format!("milestone {} falls after the year 9999", k + 1))?);
    }
    Ok(dates)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn years(y: u32) -> Offset {
        Offset { years: y, ..Offset::default() }
    }

    #[test]
    fn offsets_keep_the_day_or_take_the_months_last() {
        assert_eq!(d("2005-01-09").after(years(6)).unwrap(), d("2011-01-09"));
        assert_eq!(d("2024-02-29").after(years(1)).unwrap(), d("2025-02-28"));
        assert_eq!(d("2024-02-29").after(years(4)).unwrap(), d("2028-02-29"));
        assert_eq!(d("2027-01-31").after(Offset { months: 1, ..Offset::default() }).unwrap(), d("2027-02-28"));
        assert_eq!(d("2027-12-31").after(Offset { months: 2, days: 1, ..Offset::default() }).unwrap(), d("2028-03-01"));
        assert_eq!(d("2027-03-15").after(Offset { days: 36_500, ..Offset::default() }).unwrap(), d("2127-02-19"));
        assert_eq!(d("9999-12-31").after(Offset { days: 1, ..Offset::default() }), None);
        assert_eq!(Date::from_unix(0).unwrap(), d("1970-01-01"));
        assert_eq!(Date::from_unix(1_796_342_399).unwrap(), d("2026-12-03"));
        for bad in [
            "2027-02-29",
            "2027-13-01",
            "2027-1-01",
            "27-01-01",
            "2027/01/01",
            "0000-01-01",
            "٢٠٢٧-٠١-٠١",
            "2027-01-01 ",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad}");
        }
    }

    /// The Sudan agreement's interim period: the referendum six years after the agreement
    /// (9 January 2005 → 9 January 2011), and a milestone half a year after that one.
    #[test]
    fn milestones_follow_ratification_or_one_another() {
        let dates = schedule(
            d("2005-01-09"),
            &[
                Milestone { after: None, offset: years(6) },
                Milestone { after: Some(0), offset: Offset { months: 6, ..Offset::default() } },
            ],
        )
        .unwrap();
        assert_eq!(dates, [d("2011-01-09"), d("2011-07-09")]);
        assert!(schedule(d("2005-01-09"), &[Milestone { after: Some(0), offset: years(1) }]).is_err());
        assert!(schedule(d("2005-01-09"), &[Milestone { after: None, offset: years(101) }]).is_err());
    }

    proptest! {
        #[test]
        fn days_round_trip_and_offsets_never_go_back(days in -719_162i64..2_932_896, y in 0u32..100, m in 0u32..1200, n in 0u32..36_500) {
            let (year, month, day) = civil_from_days(days);
            prop_assert_eq!(days_from_civil(year, month, day), days);
            let date = Date::new(year, month, day).unwrap();
            prop_assert_eq!(Date::parse(&date.to_string()).unwrap(), date);
            if let Some(later) = date.after(Offset { years: y, months: m, days: n }) {
                prop_assert!(later >= date);
            }
        }
    }
}
