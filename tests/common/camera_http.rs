//! A camera's HTTP side for tests: a std `TcpListener` serving a PNG and a JPEG snapshot, and the
//! ways a camera goes wrong (404, not an image, a flood of bytes, silence).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};

/// A running fixture: its base URL and the images it serves.
pub struct CameraHttp {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// What `/cam.png` serves (64×48).
    pub png: Vec<u8>,
    /// What `/cam.jpg` serves (32×24).
    pub jpeg: Vec<u8>,
}

/// An image with a gradient, encoded.
pub fn image_bytes(w: u32, h: u32, format: image::ImageFormat) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 4 % 256) as u8, (y * 5 % 256) as u8, 200]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, format)
        .expect("encode");
    out.into_inner()
}

/// Starts the fixture; it runs until the test process ends.
pub fn serve() -> CameraHttp {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", l.local_addr().expect("addr"));
    let png = image_bytes(64, 48, image::ImageFormat::Png);
    let jpeg = image_bytes(32, 24, image::ImageFormat::Jpeg);
    let (p, j) = (png.clone(), jpeg.clone());
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            let (p, j) = (p.clone(), j.clone());
            std::thread::spawn(move || answer(s, &p, &j));
        }
    });
    CameraHttp { base, png, jpeg }
}

fn answer(mut s: TcpStream, png: &[u8], jpeg: &[u8]) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
        match s.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head).to_string();
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    let reply = |s: &mut TcpStream, status: &str, kind: &str, body: &[u8]| {
        let h = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let _ = s.write_all(h.as_bytes()).and_then(|_| s.write_all(body));
    };
    match path.as_str() {
        "/cam.png" => reply(&mut s, "200 OK", "image/png", png),
        "/cam.jpg" => reply(&mut s, "200 OK", "image/jpeg", jpeg),
        "/garbage" => reply(&mut s, "200 OK", "text/html", b"<html>login required</html>"),
        "/flood" => {
            // No Content-Length: the client learns the size only by reading, 9 MiB of it.
            let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nConnection: close\r\n\r\n");
            let chunk = vec![0u8; 64 * 1024];
            for _ in 0..144 {
                if s.write_all(&chunk).is_err() {
                    return;
                }
            }
        }
        "/silent" => std::thread::sleep(std::time::Duration::from_secs(60)),
        _ => reply(&mut s, "404 Not Found", "text/plain", b"no such snapshot"),
    }
}
