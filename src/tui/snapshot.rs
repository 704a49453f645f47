//! Camera snapshots on the desk: how the terminal can draw images (kitty, sixel or iTerm2 when it
//! answers the query, half-blocks otherwise), decoding untrusted JPEG/PNG bytes under limits, and
//! turning a decoded image into something ratatui-image draws in a given number of cells.

use super::app::{App, Effect, Mode, Panel};
use crate::ioc::IocError;
use image::{DynamicImage, ImageFormat, ImageReader, Limits};
use ratatui::layout::{Rect, Size};
use ratatui_image::picker::{Picker, ProtocolType};
use ratatui_image::protocol::Protocol;
use ratatui_image::protocol::halfblocks::Halfblocks;
use ratatui_image::{FilterType, FontSize, Resize};
use std::time::Duration;

/// The widest or tallest image decoded; a camera claiming more is refused before decoding.
pub const MAX_SIDE: u32 = 8192;

/// The most memory one decode may allocate.
const MAX_ALLOC: u64 = 256 * 1024 * 1024;

/// Decoded images are shrunk to fit this square: no terminal shows more, and encoding stays quick.
const KEEP_SIDE: u32 = 1600;

/// How long the terminal has to answer the graphics query before the desk settles for half-blocks.
const QUERY_WAIT: Duration = Duration::from_millis(1500);

/// How the terminal draws images.
#[derive(Debug, Clone)]
pub enum Graphics {
    /// Unicode half blocks with colours: works everywhere, including tmux and screen. Without
    /// `truecolor` the colours are brought to the nearest of the 256, like the theme's.
    HalfBlocks {
        /// `COLORTERM` says the terminal takes 24-bit colour.
        truecolor: bool,
    },
    /// A graphics protocol the terminal said it has (kitty, sixel, iTerm2), with its cell size.
    Protocol(Picker),
}

impl Graphics {
    /// The name shown in the snapshot overlay.
    pub fn name(&self) -> &'static str {
        match self {
            Graphics::HalfBlocks { .. } => "half-blocks",
            Graphics::Protocol(p) => match p.protocol_type() {
                ProtocolType::Kitty => "kitty",
                ProtocolType::Sixel => "sixel",
                ProtocolType::Iterm2 => "iTerm2",
                ProtocolType::Halfblocks => "half-blocks",
            },
        }
    }

    /// True when images are drawn with escape sequences rather than cells (the screen must be
    /// repainted after one is closed).
    pub fn is_protocol(&self) -> bool {
        matches!(self, Graphics::Protocol(p) if p.protocol_type() != ProtocolType::Halfblocks)
    }
}

/// True inside tmux or GNU screen (from the environment as `get` reads it). They pass no graphics
/// protocol on by default, and ratatui-image's tmux support switches the pane's
/// `allow-passthrough` on, which the desk must not do behind the user's back.
pub fn in_multiplexer(get: impl Fn(&str) -> Option<String>) -> bool {
    let set = |k: &str| get(k).is_some_and(|v| !v.is_empty());
    let term = get("TERM").unwrap_or_default();
    set("TMUX")
        || set("STY")
        || term.starts_with("tmux")
        || term.starts_with("screen")
        || get("TERM_PROGRAM").is_some_and(|p| p == "tmux")
}

/// Finds how this terminal draws images. Call once, after entering the alternate screen and
/// before reading key events: it writes a query and reads the answer on stdin. Half-blocks when
/// stdin or stdout is not a terminal, inside a multiplexer, on terminals known not to answer, or
/// when the answer does not come in time.
pub fn detect() -> Graphics {
    use std::io::IsTerminal;
    let half_blocks = Graphics::HalfBlocks {
        truecolor: std::env::var("COLORTERM").is_ok_and(|v| v == "truecolor" || v == "24bit"),
    };
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return half_blocks;
    }
    if in_multiplexer(|k| std::env::var(k).ok()) {
        return half_blocks;
    }
    let term = std::env::var("TERM").unwrap_or_default();
    if term.is_empty() || term == "dumb" || term == "linux" {
        return half_blocks;
    }
    // The library has its own timeout, but it restarts on every byte read: an outer deadline
    // keeps a chatty or broken terminal from holding the desk's start.
    let (tx, rx) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("graphics-query".into())
        .spawn(move || {
            let options = ratatui_image::picker::cap_parser::QueryStdioOptions {
                timeout: Duration::from_millis(500),
                ..Default::default()
            };
            let _ = tx.send(Picker::from_query_stdio_with_options(options));
        });
    if spawned.is_err() {
        return half_blocks;
    }
    match rx.recv_timeout(QUERY_WAIT) {
        Ok(Ok(p)) if p.protocol_type() != ProtocolType::Halfblocks => Graphics::Protocol(p),
        Ok(Ok(_)) => half_blocks,
        Ok(Err(e)) => {
            tracing::info!("graphics query failed ({e}); drawing images with half-blocks");
            half_blocks
        }
        Err(_) => {
            tracing::info!("the terminal did not answer the graphics query; drawing images with half-blocks");
            half_blocks
        }
    }
}

/// Why a snapshot is not shown.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The core could not get it (no URL, camera unreachable, HTTP error, too many bytes).
    Fetch(IocError),
    /// The bytes are not a JPEG or PNG image, or are corrupt.
    Undecodable(String),
    /// The image claims more than [`MAX_SIDE`] pixels on a side, or more memory than allowed.
    TooLarge,
}

/// Decodes untrusted snapshot bytes: JPEG or PNG only, dimensions and memory bounded before any
/// pixel is decoded, then shrunk to at most 1600 pixels on a side.
pub fn decode(bytes: &[u8]) -> Result<DynamicImage, Failure> {
    let mut reader = ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| Failure::Undecodable(e.to_string()))?;
    match reader.format() {
        Some(ImageFormat::Png | ImageFormat::Jpeg) => {}
        Some(other) => {
            return Err(Failure::Undecodable(format!(
                "{} is not shown (JPEG or PNG only)",
                other.extensions_str().first().copied().unwrap_or("this format")
            )));
        }
        None => return Err(Failure::Undecodable("not an image".into())),
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => Failure::TooLarge,
        other => Failure::Undecodable(other.to_string()),
    })?;
    if img.width() == 0 || img.height() == 0 {
        return Err(Failure::Undecodable("empty image".into()));
    }
    Ok(if img.width() > KEEP_SIDE || img.height() > KEEP_SIDE {
        img.thumbnail(KEEP_SIDE, KEEP_SIDE)
    } else {
        img
    })
}

/// Encodes `img` to fit `cells` (keeping its proportions) for the terminal's way of drawing;
/// `None` when the area is empty or the encoder fails.
pub fn encode(g: &Graphics, img: &DynamicImage, cells: Size) -> Option<Protocol> {
    if cells.width == 0 || cells.height == 0 {
        return None;
    }
    let scale = Resize::Scale(Some(FilterType::Triangle));
    let made = match g {
        Graphics::HalfBlocks { .. } => {
            // A half-block cell is one pixel wide and two tall, i.e. square pixels in a 1:2 cell.
            let fit = scale.size_for(img, FontSize::new(10, 20), cells);
            Halfblocks::new(img.clone(), fit).map(Protocol::Halfblocks)
        }
        Graphics::Protocol(p) => p.new_protocol(img.clone(), cells, scale),
    };
    match made {
        Ok(p) => Some(p),
        Err(e) => {
            tracing::warn!("cannot encode a snapshot for the terminal: {e}");
            None
        }
    }
}

/// What the snapshot overlay shows.
pub enum SnapshotState {
    /// The fetch is under way.
    Loading,
    /// It failed; the text says why (already translated and sanitized).
    Failed(String),
    /// The decoded image, and its encoding for the area it was last fitted to.
    Ready {
        /// The decoded image (at most 1600 pixels on a side).
        image: DynamicImage,
        /// The image area and the image encoded for it.
        shown: Option<(Rect, Protocol)>,
    },
}

/// The snapshot overlay's state: which camera, which request, what to show.
pub struct SnapshotView {
    /// Camera id.
    pub id: String,
    /// Camera name (untrusted: sanitized when drawn).
    pub name: String,
    /// The request this view waits for; answers to older requests are dropped.
    pub req: u64,
    /// What to show.
    pub state: SnapshotState,
}

/// `camera.snapshot`: opens the overlay on the selected camera and asks for its image.
pub fn open(app: &mut App) -> Vec<Effect> {
    if app.panel != Panel::Cameras {
        let t = app.i18n.t("msg.not_here").to_string();
        app.say(t, true);
        return Vec::new();
    }
    let Some(cam) = app.cameras.get(app.camera_sel) else {
        let t = app.i18n.t("msg.nothing").to_string();
        app.say(t, true);
        return Vec::new();
    };
    app.snapshot_req += 1;
    let (id, req) = (cam.id.clone(), app.snapshot_req);
    app.snapshot = Some(SnapshotView {
        id: id.clone(),
        name: cam.name.clone(),
        req,
        state: SnapshotState::Loading,
    });
    app.mode = Mode::Snapshot;
    vec![Effect::LoadSnapshot { req, id }]
}

/// Closes the overlay and lets go of the image.
pub fn close(app: &mut App) {
    app.snapshot = None;
    app.mode = Mode::Normal;
}

/// An answer to a snapshot request: shown if the overlay still waits for it, else dropped.
pub fn arrived(app: &mut App, req: u64, r: Result<DynamicImage, Failure>) -> Vec<Effect> {
    let Some(view) = app.snapshot.as_mut().filter(|v| v.req == req) else {
        return Vec::new();
    };
    view.state = match r {
        Ok(image) => SnapshotState::Ready { image, shown: None },
        Err(f) => {
            let text = match f {
                Failure::Fetch(e) => app.i18n.tf("snapshot.fetch", &[("msg", &e.to_string())]),
                Failure::Undecodable(m) => app.i18n.tf("snapshot.undecodable", &[("msg", &m)]),
                Failure::TooLarge => app.i18n.tf("snapshot.too_large", &[("max", &MAX_SIDE.to_string())]),
            };
            SnapshotState::Failed(crate::domain::text::sanitize(&text))
        }
    };
    Vec::new()
}

/// Encodes a loaded image for the area the overlay gives it in a `frame`, when that area changed
/// (the driver calls this before each draw; rendering itself only reads).
pub fn fit(app: &mut App, frame: Rect) {
    let Some(SnapshotView {
        state: SnapshotState::Ready { image, shown },
        ..
    }) = app.snapshot.as_mut()
    else {
        return;
    };
    let area = super::view::snapshot_image_area(frame);
    if shown.as_ref().is_some_and(|(a, _)| *a == area) {
        return;
    }
    *shown = encode(&app.graphics, image, area.as_size()).map(|p| (area, p));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 128]));
        let mut out = std::io::Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(img)
            .write_to(&mut out, ImageFormat::Png)
            .expect("encode png");
        out.into_inner()
    }

    #[test]
    fn decodes_png_and_refuses_garbage() {
        let img = decode(&png(64, 48)).expect("a png decodes");
        assert_eq!((img.width(), img.height()), (64, 48));
        assert!(matches!(
            decode(b"<html>not found</html>"),
            Err(Failure::Undecodable(_))
        ));
        let mut cut = png(64, 48);
        cut.truncate(cut.len() / 2);
        assert!(matches!(decode(&cut), Err(Failure::Undecodable(_))));
    }

    #[test]
    fn large_images_are_shrunk_and_huge_ones_refused() {
        let img = decode(&png(2000, 100)).expect("decodes");
        assert_eq!(img.width(), KEEP_SIDE);
        // Wider than MAX_SIDE: refused by the limits before its pixels are decoded.
        assert_eq!(decode(&png(MAX_SIDE + 1, 1)), Err(Failure::TooLarge));
    }

    const HALF: Graphics = Graphics::HalfBlocks { truecolor: true };

    #[test]
    fn half_blocks_fit_the_cells_and_keep_proportions() {
        let img = decode(&png(400, 300)).expect("decodes");
        let p = encode(&HALF, &img, Size::new(78, 17)).expect("encoded");
        let s = p.size();
        assert!(s.width <= 78 && s.height <= 17, "{s:?}");
        // 4:3 in square pixels → 34 rows of pixels = 17 cells high, about 45 wide.
        assert_eq!(s.height, 17);
        assert!((44..=46).contains(&s.width), "{s:?}");
        assert!(encode(&HALF, &img, Size::new(0, 10)).is_none());
    }

    #[test]
    fn multiplexers_are_recognised() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
        };
        assert!(in_multiplexer(env(&[("TMUX", "/tmp/tmux-0/default,1,0")])));
        assert!(in_multiplexer(env(&[("TERM", "screen-256color")])));
        assert!(in_multiplexer(env(&[("TERM_PROGRAM", "tmux")])));
        assert!(!in_multiplexer(env(&[("TERM", "xterm-kitty"), ("TMUX", "")])));
    }
}
