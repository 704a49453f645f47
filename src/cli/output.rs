//! Output formats for every command: a table for people, JSON, NDJSON and CSV for scripts.

use crate::domain::calendar::hue_offset;
use crate::domain::text::sanitize;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::io::Write;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// How data is written to stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for a terminal.
    #[default]
    Table,
    /// One JSON document (an array for lists).
    Json,
    /// One JSON object per line.
    Ndjson,
    /// Comma-separated values with a header.
    Csv,
}

/// Something that can be printed as a table row and as JSON.
pub trait Tabular: Serialize {
    /// Column headers.
    fn headers() -> &'static [&'static str];
    /// Cells, in header order (untrusted text is sanitized by the printer).
    fn cells(&self) -> Vec<String>;
}

/// A time in Huế local time for people: `2026-11-20 10:05`.
pub fn local(t: DateTime<Utc>) -> String {
    t.with_timezone(&hue_offset()).format("%Y-%m-%d %H:%M").to_string()
}

/// Cuts text to a display width, adding `…` when cut.
pub fn clip(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// Pads text with spaces to a display width.
pub fn pad(s: &str, width: usize) -> String {
    let w = s.width();
    if w >= width {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(width - w))
    }
}

/// Writes a list in the chosen format. Tables fit the terminal width; the last column is clipped.
pub fn print_list<T: Tabular>(items: &[T], format: Format, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, items)?;
            writeln!(out)
        }
        Format::Ndjson => {
            for it in items {
                serde_json::to_writer(&mut *out, it)?;
                writeln!(out)?;
            }
            Ok(())
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(T::headers())?;
            for it in items {
                w.write_record(it.cells())?;
            }
            w.flush()
        }
        Format::Table => {
            let rows: Vec<Vec<String>> = items
                .iter()
                .map(|i| i.cells().iter().map(|c| sanitize(c)).collect())
                .collect();
            print_table(T::headers(), &rows, out)
        }
    }
}

/// Prints rows as aligned columns, clipped to the terminal width.
pub fn print_table(headers: &[&str], rows: &[Vec<String>], out: &mut dyn Write) -> std::io::Result<()> {
    let total = terminal_width();
    let n = headers.len();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.width()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(n) {
            widths[i] = widths[i].max(c.width().min(60));
        }
    }
    let fixed: usize = widths[..n.saturating_sub(1)].iter().map(|w| w + 2).sum();
    if let Some(last) = widths.last_mut() {
        *last = (*last).min(total.saturating_sub(fixed).max(10));
    }
    let line = |cells: &[String]| -> String {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate().take(n) {
            let c = clip(c, widths[i]);
            if i + 1 < n {
                s.push_str(&pad(&c, widths[i]));
                s.push_str("  ");
            } else {
                s.push_str(&c);
            }
        }
        s.trim_end().to_string()
    };
    let h: Vec<String> = headers.iter().map(|h| h.to_uppercase()).collect();
    writeln!(out, "{}", line(&h))?;
    for r in rows {
        writeln!(out, "{}", line(r))?;
    }
    Ok(())
}

/// The terminal's width, or 120 when not a terminal.
fn terminal_width() -> usize {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return 200;
    }
    crossterm::terminal::size()
        .map(|(w, _)| w as usize)
        .unwrap_or(120)
        .max(40)
}

/// Writes one item as JSON, or as `key: value` lines for people.
pub fn print_one<T: Serialize>(item: &T, format: Format, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, item)?;
            writeln!(out)
        }
        _ => {
            serde_json::to_writer(&mut *out, item)?;
            writeln!(out)
        }
    }
}
