//! Colour themes (dark, light, high-contrast) and the colourless mode for `NO_COLOR`.
//! Selection is always reverse video and states are always symbols, so no meaning lives in colour.

use ratatui::style::{Color, Modifier, Style};

/// The styles the views use.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    /// Ordinary text.
    pub text: Style,
    /// Dimmed text (hints, ages).
    pub dim: Style,
    /// Titles and the active tab.
    pub title: Style,
    /// The selected row (reverse video, whatever the theme).
    pub selected: Style,
    /// Overdue and errors.
    pub alert: Style,
    /// Warnings (near deadlines, conflicts).
    pub warn: Style,
    /// Good news (on time).
    pub good: Style,
    /// The status bar.
    pub status: Style,
    /// The status bar while flashing for a new P1 case.
    pub flash: Style,
}

impl Theme {
    /// A theme by name (`dark`, `light`, `high-contrast`); `no_color` gives [`Theme::plain`].
    pub fn named(name: Option<&str>, no_color: bool) -> Theme {
        if no_color {
            return Theme::plain();
        }
        let base = Theme::plain();
        match name.unwrap_or("dark") {
            "light" => Theme {
                dim: Style::new().fg(Color::DarkGray),
                title: Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD),
                alert: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
                warn: Style::new().fg(Color::Magenta),
                good: Style::new().fg(Color::Green),
                status: Style::new().bg(Color::Gray).fg(Color::Black),
                ..base
            },
            "high-contrast" => Theme {
                text: Style::new().fg(Color::White),
                dim: Style::new().fg(Color::White),
                title: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
                alert: Style::new()
                    .fg(Color::LightRed)
                    .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                warn: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
                good: Style::new().fg(Color::LightGreen).add_modifier(Modifier::BOLD),
                status: Style::new().bg(Color::White).fg(Color::Black),
                ..base
            },
            _ => Theme {
                dim: Style::new().fg(Color::Gray),
                title: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
                alert: Style::new().fg(Color::LightRed).add_modifier(Modifier::BOLD),
                warn: Style::new().fg(Color::Yellow),
                good: Style::new().fg(Color::Green),
                status: Style::new().bg(Color::DarkGray).fg(Color::White),
                ..base
            },
        }
    }

    /// No colours at all: only bold, reverse and underline.
    pub fn plain() -> Theme {
        Theme {
            text: Style::new(),
            dim: Style::new(),
            title: Style::new().add_modifier(Modifier::BOLD),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            alert: Style::new().add_modifier(Modifier::BOLD),
            warn: Style::new().add_modifier(Modifier::UNDERLINED),
            good: Style::new(),
            status: Style::new().add_modifier(Modifier::REVERSED),
            flash: Style::new().add_modifier(Modifier::BOLD | Modifier::SLOW_BLINK),
        }
    }
}
