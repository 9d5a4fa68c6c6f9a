//! A project's timeline (甘特图) as the geometry of an SVG drawing: one row per milestone in tree
//! order, the planned span from its start to its current deadline coloured by its light, the
//! reported progress filled in, the original deadline marked when it moved, and today's line.
//! The template draws it; this module only measures.

use chrono::{Datelike, Duration, NaiveDate};
use jiandu_domain::Light;

/// The drawing's width in SVG units; it scales to the page.
pub const WIDTH: i64 = 960;
/// Room for the milestones' titles on the left.
const LABEL_WIDTH: i64 = 250;
const ROW_HEIGHT: i64 = 28;
const HEADER: i64 = 28;
const RIGHT_MARGIN: i64 = 12;
/// A milestone without a start date is drawn from this many days before its deadline at most.
const DEFAULT_SPAN_DAYS: i64 = 30;
/// Characters of a title shown before it is cut.
const TITLE_CHARS: usize = 15;

/// One milestone as the timeline needs it.
pub struct Item<'a> {
    pub title: &'a str,
    pub depth: usize,
    pub start: Option<NaiveDate>,
    pub deadline: NaiveDate,
    pub original_deadline: NaiveDate,
    pub progress: u8,
    pub light: Light,
    pub finished_on: Option<NaiveDate>,
}

pub struct Bar {
    pub y: i64,
    pub text_y: i64,
    pub label_x: i64,
    pub label: String,
    /// What a screen reader says of the row.
    pub description: String,
    pub x: i64,
    pub width: i64,
    pub done_width: i64,
    pub class: &'static str,
    /// Where the original deadline was, when it moved.
    pub original_x: Option<i64>,
}

pub struct Tick {
    pub x: i64,
    pub label: String,
}

pub struct Gantt {
    pub width: i64,
    pub height: i64,
    pub bars: Vec<Bar>,
    pub ticks: Vec<Tick>,
    pub today_x: i64,
    pub today: NaiveDate,
}

fn short(title: &str) -> String {
    if title.chars().count() <= TITLE_CHARS {
        title.to_string()
    } else {
        let cut: String = title.chars().take(TITLE_CHARS - 1).collect();
        format!("{cut}…")
    }
}

fn class(light: Light) -> &'static str {
    match light {
        Light::Red => "bar-red",
        Light::Yellow => "bar-yellow",
        Light::Green => "bar-green",
        Light::Grey => "bar-grey",
    }
}

/// The timeline of `items` seen on `today`, or `None` when there is nothing to draw.
pub fn draw(items: &[Item<'_>], today: NaiveDate) -> Option<Gantt> {
    let start_of = |item: &Item<'_>| {
        item.start
            .filter(|start| *start <= item.deadline)
            .unwrap_or(item.deadline - Duration::days(DEFAULT_SPAN_DAYS))
    };
    let first = items.iter().map(start_of).min()?.min(today);
    let last = items
        .iter()
        .flat_map(|item| [item.deadline, item.original_deadline])
        .max()?
        .max(today);
    let days = (last - first).num_days().max(1) + 1;
    let plot = WIDTH - LABEL_WIDTH - RIGHT_MARGIN;
    let x_of = |date: NaiveDate| LABEL_WIDTH + (date - first).num_days() * plot / days;
    let bars = items
        .iter()
        .enumerate()
        .map(|(row, item)| {
            let y = HEADER + row as i64 * ROW_HEIGHT;
            let x = x_of(start_of(item));
            let width = (x_of(item.deadline + Duration::days(1)) - x).max(2);
            let moved = item.original_deadline != item.deadline;
            let mut description = format!(
                "{}：{} 至 {}，进度 {}%",
                item.title,
                start_of(item),
                item.deadline,
                item.progress
            );
            if moved {
                description.push_str(&format!("，原定 {}", item.original_deadline));
            }
            if let Some(done) = item.finished_on {
                description.push_str(&format!("，{done} 完成"));
            }
            Bar {
                y: y + 6,
                text_y: y + 18,
                label_x: 6 + item.depth as i64 * 12,
                label: short(item.title),
                description,
                x,
                width,
                done_width: width * i64::from(item.progress) / 100,
                class: class(item.light),
                original_x: moved.then(|| x_of(item.original_deadline + Duration::days(1))),
            }
        })
        .collect::<Vec<_>>();
    // A month is named only where its label clears the last one named: over a long project
    // the labels thin out (every second or third month) rather than run into each other.
    let mut named_until = i64::MIN;
    let ticks = month_starts(first, last)
        .map(|month| {
            let x = x_of(month);
            let label = if month.month() == 1 || month == first {
                format!("{}年{}月", month.year(), month.month())
            } else {
                format!("{}月", month.month())
            };
            let label = if x >= named_until {
                named_until = x + label_width(&label);
                label
            } else {
                String::new()
            };
            Tick { x, label }
        })
        .collect();
    Some(Gantt {
        width: WIDTH,
        height: HEADER + bars.len() as i64 * ROW_HEIGHT + 8,
        bars,
        ticks,
        today_x: x_of(today),
        today,
    })
}

/// The room a tick's label takes, in SVG units (12-unit characters, a gap after).
fn label_width(label: &str) -> i64 {
    label
        .chars()
        .map(|c| if c.is_ascii() { 7 } else { 12 })
        .sum::<i64>()
        + 10
}

/// The first day of each month from `first`'s month (that day itself when it is not a 1st) to
/// `last`.
fn month_starts(first: NaiveDate, last: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    std::iter::successors(Some(first), |day| {
        let (year, month) = if day.month() == 12 {
            (day.year() + 1, 1)
        } else {
            (day.year(), day.month() + 1)
        };
        NaiveDate::from_ymd_opt(year, month, 1)
    })
    .take_while(move |day| *day <= last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    fn item(start: Option<NaiveDate>, deadline: NaiveDate, original: NaiveDate) -> Item<'static> {
        Item {
            title: "主体施工（桥墩、桥面及廊亭）及附属工程",
            depth: 1,
            start,
            deadline,
            original_deadline: original,
            progress: 50,
            light: Light::Red,
            finished_on: None,
        }
    }

    #[test]
    fn bars_keep_their_order_in_time_and_today_falls_between() {
        let items = [
            item(Some(date(2021, 3, 1)), date(2021, 4, 30), date(2021, 4, 30)),
            item(Some(date(2021, 5, 1)), date(2021, 8, 31), date(2021, 7, 31)),
        ];
        let gantt = draw(&items, date(2021, 6, 15)).expect("a drawing");
        let [a, b] = &gantt.bars[..] else {
            panic!("two bars")
        };
        assert!(a.x >= LABEL_WIDTH && a.x + a.width <= b.x + 1);
        assert!(b.x + b.width <= WIDTH - RIGHT_MARGIN + 1);
        assert!(a.x < gantt.today_x && gantt.today_x < b.x + b.width);
        // Half done: half the bar filled.
        assert!((b.done_width * 2 - b.width).abs() <= 1);
        // The moved deadline keeps a mark where it was, before the current end.
        let original = b.original_x.expect("a moved deadline is marked");
        assert!(b.x < original && original < b.x + b.width);
        assert_eq!(a.original_x, None);
        assert_eq!(a.class, "bar-red");
        assert!(a.label.ends_with('…') && a.label.chars().count() == TITLE_CHARS);
        assert!(b.description.contains("原定 2021-07-31"));
        let months: Vec<&str> = gantt.ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(months, ["2021年3月", "4月", "5月", "6月", "7月", "8月"]);
    }

    #[test]
    fn month_labels_thin_out_over_a_long_project_and_never_overlap() {
        let items = [item(
            Some(date(2025, 1, 1)),
            date(2027, 12, 31),
            date(2027, 12, 31),
        )];
        let gantt = draw(&items, date(2026, 12, 7)).expect("a drawing");
        assert_eq!(gantt.ticks.len(), 36, "a tick each month");
        let named: Vec<&Tick> = gantt.ticks.iter().filter(|t| !t.label.is_empty()).collect();
        assert!(
            named.len() < gantt.ticks.len() && named.len() >= 8,
            "{} of 36 named",
            named.len()
        );
        assert_eq!(named[0].label, "2025年1月");
        for pair in named.windows(2) {
            assert!(
                pair[0].x + label_width(&pair[0].label) <= pair[1].x,
                "{} runs into {}",
                pair[0].label,
                pair[1].label
            );
        }
    }

    #[test]
    fn today_after_every_deadline_widens_the_span_and_nothing_is_nothing() {
        let items = [item(None, date(2021, 4, 30), date(2021, 4, 30))];
        let gantt = draw(&items, date(2021, 12, 1)).expect("a drawing");
        assert!(gantt.today_x <= WIDTH - RIGHT_MARGIN && gantt.today_x > gantt.bars[0].x);
        assert!(draw(&[], date(2021, 12, 1)).is_none());
    }
}
