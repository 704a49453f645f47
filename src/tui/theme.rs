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

/// A style as written in a theme file: a colour, or a table.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(untagged)]
enum StyleSpec {
    /// Just the foreground colour.
    Fg(String),
    /// Colours and attributes.
    Full {
        #[serde(default)]
        fg: Option<String>,
        #[serde(default)]
        bg: Option<String>,
        #[serde(default)]
        bold: bool,
        #[serde(default)]
        underline: bool,
    },
}

/// A theme file (assets/themes/*.toml).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    text: StyleSpec,
    dim: StyleSpec,
    title: StyleSpec,
    alert: StyleSpec,
    warn: StyleSpec,
    good: StyleSpec,
    status: StyleSpec,
}

/// The shipped themes, embedded.
pub const SHIPPED: &[(&str, &str)] = &[
    ("dark", include_str!("../../assets/themes/dark.toml")),
    ("light", include_str!("../../assets/themes/light.toml")),
    ("high-contrast", include_str!("../../assets/themes/high-contrast.toml")),
];

/// Parses a colour; `#rrggbb` becomes the nearest of the 256 colours unless `truecolor`.
fn colour(s: &str, truecolor: bool) -> Result<Color, String> {
    let c: Color = s.parse().map_err(|_| format!("unknown colour '{s}'"))?;
    Ok(match c {
        Color::Rgb(r, g, b) if !truecolor => Color::Indexed(nearest_256(r, g, b)),
        c => c,
    })
}

/// The xterm 256-colour cube index nearest to an RGB colour.
pub fn nearest_256(r: u8, g: u8, b: u8) -> u8 {
    let level = |v: u8| -> u8 {
        const STEPS: [u8; 6] = [0, 95, 135, 175, 215, 255];
        (0..6)
            .min_by_key(|&i| (i16::from(STEPS[i as usize]) - i16::from(v)).abs())
            .unwrap_or(0)
    };
    16 + 36 * level(r) + 6 * level(g) + level(b)
}

impl StyleSpec {
    fn style(&self, truecolor: bool) -> Result<Style, String> {
        Ok(match self {
            StyleSpec::Fg(c) => Style::new().fg(colour(c, truecolor)?),
            StyleSpec::Full {
                fg,
                bg,
                bold,
                underline,
            } => {
                let mut s = Style::new();
                if let Some(c) = fg {
                    s = s.fg(colour(c, truecolor)?);
                }
                if let Some(c) = bg {
                    s = s.bg(colour(c, truecolor)?);
                }
                if *bold {
                    s = s.add_modifier(Modifier::BOLD);
                }
                if *underline {
                    s = s.add_modifier(Modifier::UNDERLINED);
                }
                s
            }
        })
    }
}

impl Theme {
    /// A theme by name (`dark`, `light`, `high-contrast`); `no_color` gives [`Theme::plain`].
    /// Truecolor is used only when `COLORTERM` says so.
    pub fn named(name: Option<&str>, no_color: bool) -> Theme {
        if no_color {
            return Theme::plain();
        }
        let truecolor = std::env::var("COLORTERM").is_ok_and(|v| v == "truecolor" || v == "24bit");
        let name = name.unwrap_or("dark");
        let src = SHIPPED
            .iter()
            .find(|(n, _)| *n == name)
            .or(SHIPPED.first())
            .map(|(_, s)| *s)
            .unwrap_or_default();
        Theme::parse(src, truecolor).unwrap_or_else(|_| Theme::plain())
    }

    /// A theme from a theme file's text.
    pub fn parse(src: &str, truecolor: bool) -> Result<Theme, String> {
        let f: ThemeFile = toml::from_str(src).map_err(|e| e.to_string())?;
        let base = Theme::plain();
        Ok(Theme {
            text: f.text.style(truecolor)?,
            dim: f.dim.style(truecolor)?,
            title: f.title.style(truecolor)?,
            alert: f.alert.style(truecolor)?,
            warn: f.warn.style(truecolor)?,
            good: f.good.style(truecolor)?,
            status: f.status.style(truecolor)?,
            ..base
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_themes_parse() {
        for (name, src) in SHIPPED {
            let t = Theme::parse(src, false).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_ne!(t, Theme::plain(), "{name} has colours");
            assert_eq!(t.selected, Theme::plain().selected, "selection stays reverse video");
        }
    }

    #[test]
    fn truecolor_only_when_asked() {
        let src = "text = \"#ff8000\"\ndim = \"gray\"\ntitle = \"cyan\"\nalert = \"red\"\nwarn = \"yellow\"\ngood = \"green\"\nstatus = { fg = \"white\", bg = \"#000000\" }\n";
        let t = Theme::parse(src, false).expect("parses");
        assert_eq!(t.text.fg, Some(Color::Indexed(nearest_256(255, 128, 0))));
        assert_eq!(
            Theme::parse(src, true).expect("parses").text.fg,
            Some(Color::Rgb(255, 128, 0))
        );
        assert_eq!(nearest_256(0, 0, 0), 16);
        assert_eq!(nearest_256(255, 255, 255), 231);
        assert!(Theme::parse("text = \"nope\"", false).is_err());
    }
}
