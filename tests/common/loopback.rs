//! Loopback stand-ins for cameras: an RTSP responder, a server that never answers, a closed
//! port. Shared by the camera tests and `examples/probe_round.rs`.

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A port where nothing listens.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A TCP server that accepts connections and never answers: a hung camera. Runs until the
/// process ends.
pub fn silent_server() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for c in l.incoming().flatten() {
            held.push(c);
        }
    });
    port
}

/// An RTSP responder on `port` (0: any free one): 200 to every request, an SDP to DESCRIBE, for
/// any path. Returns the port and the task serving it.
pub async fn rtsp_responder(port: u16) -> (u16, tokio::task::JoinHandle<()>) {
    let l = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .expect("bind the camera's port");
    let port = l.local_addr().expect("addr").port();
    let task = tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 2048];
                while let Ok(n) = s.read(&mut chunk).await {
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    while let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        let req = String::from_utf8_lossy(&buf[..end]).to_string();
                        buf.drain(..end + 4);
                        let cseq = req
                            .lines()
                            .find_map(|l| l.strip_prefix("CSeq:"))
                            .map(str::trim)
                            .unwrap_or("0")
                            .to_string();
                        let body = if req.starts_with("DESCRIBE") {
                            "v=0\r\ns=cam\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
                        } else {
                            ""
                        };
                        let answer = format!(
                            "RTSP/1.0 200 OK\r\nCSeq: {cseq}\r\nPublic: OPTIONS, DESCRIBE\r\nContent-Length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        if s.write_all(answer.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    (port, task)
}
