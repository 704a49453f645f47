//! The camera prober: TCP connect → RTSP OPTIONS (the service is up) → RTSP DESCRIBE (the stream
//! exists; an unknown path gives 404) → optionally the HTTP snapshot. Every step runs under a
//! timeout, because a silent server hangs naive clients, and cameras are probed with bounded
//! concurrency. A minimal RTSP/1.0 client over a tokio `TcpStream` is all it takes.

use crate::domain::health::{Outcome, Policy, step};
use crate::domain::{Camera, Command};
use crate::ioc::{Ioc, IocError};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;
use tokio::time::timeout;

/// Timeouts and concurrency of a probe run.
#[derive(Debug, Clone, Copy)]
pub struct ProbeConfig {
    /// For the TCP connect.
    pub connect: Duration,
    /// For each RTSP answer and for the snapshot.
    pub step: Duration,
    /// For the whole probe of one camera.
    pub total: Duration,
    /// Cameras probed at once.
    pub concurrency: usize,
}

impl Default for ProbeConfig {
    fn default() -> Self {
        ProbeConfig {
            connect: Duration::from_secs(3),
            step: Duration::from_secs(4),
            total: Duration::from_secs(12),
            concurrency: 64,
        }
    }
}

/// The largest RTSP answer read (head plus body).
const MAX_ANSWER: usize = 64 * 1024;

/// An RTSP answer's status code and body.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// Status code (200, 404, …).
    pub status: u16,
    /// The body (the SDP of a DESCRIBE).
    pub body: String,
}

/// Where to connect and what to ask for, from an `rtsp://` URL.
fn target(url: &str) -> Result<(String, u16, String), String> {
    let u = reqwest::Url::parse(url).map_err(|e| format!("bad rtsp_url: {e}"))?;
    if u.scheme() != "rtsp" {
        return Err(format!("unsupported scheme '{}' (rtsp only)", u.scheme()));
    }
    let host = u.host_str().ok_or("rtsp_url has no host")?.to_string();
    let port = u.port().unwrap_or(554);
    // The request URL never carries credentials.
    let mut clean = u.clone();
    let _ = clean.set_username("");
    let _ = clean.set_password(None);
    Ok((host, port, clean.to_string()))
}

/// Reads one RTSP answer (status line, headers, `Content-Length` body).
async fn read_answer(s: &mut TcpStream, buf: &mut Vec<u8>) -> Result<Answer, String> {
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > MAX_ANSWER {
            return Err("answer too large".into());
        }
        let mut chunk = [0u8; 4096];
        let n = s.read(&mut chunk).await.map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("connection closed".into());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or_default();
    let mut parts = status_line.split_whitespace();
    if !parts.next().is_some_and(|p| p.starts_with("RTSP/")) {
        return Err(format!(
            "not an RTSP answer: '{}'",
            crate::domain::text::sanitize(status_line)
        ));
    }
    let status: u16 = parts
        .next()
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| format!("bad status line '{}'", crate::domain::text::sanitize(status_line)))?;
    let len = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .unwrap_or(0)
        .min(MAX_ANSWER);
    while buf.len() < head_end + len {
        let mut chunk = [0u8; 4096];
        let n = s.read(&mut chunk).await.map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let end = (head_end + len).min(buf.len());
    let body = String::from_utf8_lossy(&buf[head_end..end]).to_string();
    buf.drain(..end);
    Ok(Answer { status, body })
}

/// Sends one request and reads its answer, under the step timeout.
async fn ask(
    s: &mut TcpStream,
    buf: &mut Vec<u8>,
    method: &str,
    url: &str,
    cseq: u32,
    step: Duration,
) -> Result<Answer, String> {
    let req = format!(
        "{method} {url} RTSP/1.0\r\nCSeq: {cseq}\r\nUser-Agent: iocdesk-prober\r\nAccept: application/sdp\r\n\r\n"
    );
    let exchange = async {
        s.write_all(req.as_bytes()).await.map_err(|e| e.to_string())?;
        read_answer(s, buf).await
    };
    match timeout(step, exchange).await {
        Ok(r) => r.map_err(|e| format!("{method}: {e}")),
        Err(_) => Err(format!("{method}: no answer in {} s", step.as_secs_f32())),
    }
}

/// Probes one camera; never takes longer than `cfg.total`.
pub async fn probe(cam: &Camera, cfg: &ProbeConfig) -> Outcome {
    match timeout(cfg.total, probe_inner(cam, cfg)).await {
        Ok(o) => o,
        Err(_) => Outcome::Failed {
            reason: format!("probe: no result in {} s", cfg.total.as_secs_f32()),
        },
    }
}

async fn probe_inner(cam: &Camera, cfg: &ProbeConfig) -> Outcome {
    let failed = |reason: String| Outcome::Failed { reason };
    let Some(url) = cam.rtsp_url.as_deref() else {
        return match &cam.snapshot_url {
            Some(snap) => snapshot_only(snap, cfg).await,
            None => failed("no rtsp_url or snapshot_url to probe".into()),
        };
    };
    let (host, port, req_url) = match target(url) {
        Ok(t) => t,
        Err(e) => return failed(e),
    };
    let t0 = Instant::now();
    let mut s = match timeout(cfg.connect, TcpStream::connect((host.as_str(), port))).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => return failed(format!("connect {host}:{port}: {e}")),
        Err(_) => {
            return failed(format!(
                "connect {host}:{port}: no answer in {} s",
                cfg.connect.as_secs_f32()
            ));
        }
    };
    let mut buf = Vec::new();
    let options = match ask(&mut s, &mut buf, "OPTIONS", &req_url, 1, cfg.step).await {
        Ok(a) => a,
        Err(e) => return failed(e),
    };
    if options.status >= 500 {
        return failed(format!("OPTIONS: status {}", options.status));
    }
    let describe = match ask(&mut s, &mut buf, "DESCRIBE", &req_url, 2, cfg.step).await {
        Ok(a) => a,
        Err(e) => {
            return Outcome::Impaired {
                latency_ms: t0.elapsed().as_millis() as u64,
                reason: e,
            };
        }
    };
    let latency_ms = t0.elapsed().as_millis() as u64;
    let impaired = |reason: String| Outcome::Impaired { latency_ms, reason };
    match describe.status {
        200 if describe.body.contains("m=") => {}
        200 => return impaired("DESCRIBE: no media in the SDP".into()),
        401 | 403 => return impaired(format!("DESCRIBE: status {} (credentials)", describe.status)),
        404 => return impaired("DESCRIBE: 404, the stream path is missing".into()),
        st => return impaired(format!("DESCRIBE: status {st}")),
    }
    if let Some(snap) = &cam.snapshot_url
        && let Err(e) = snapshot(snap, cfg).await
    {
        return impaired(e);
    }
    Outcome::Ok { latency_ms }
}

/// Fetches the snapshot URL; an error says why it failed.
async fn snapshot(url: &str, cfg: &ProbeConfig) -> Result<(), String> {
    let client = reqwest::Client::builder()
        .timeout(cfg.step)
        .connect_timeout(cfg.connect)
        .build()
        .map_err(|e| format!("snapshot: {e}"))?;
    let resp = client.get(url).send().await.map_err(|e| format!("snapshot: {e}"))?;
    if !resp.status().is_success() {
        return Err(format!("snapshot: HTTP {}", resp.status().as_u16()));
    }
    Ok(())
}

async fn snapshot_only(url: &str, cfg: &ProbeConfig) -> Outcome {
    let t0 = Instant::now();
    match snapshot(url, cfg).await {
        Ok(()) => Outcome::Ok {
            latency_ms: t0.elapsed().as_millis() as u64,
        },
        Err(reason) => Outcome::Failed { reason },
    }
}

/// Probes many cameras, at most `cfg.concurrency` at once; results in the cameras' order.
pub async fn probe_all(cams: Vec<Camera>, cfg: ProbeConfig) -> Vec<(Camera, Outcome)> {
    let sem = Arc::new(Semaphore::new(cfg.concurrency.max(1)));
    let mut tasks = Vec::with_capacity(cams.len());
    for cam in cams {
        let sem = sem.clone();
        tasks.push(tokio::spawn(async move {
            let _permit = sem.acquire_owned().await;
            let o = probe(&cam, &cfg).await;
            (cam, o)
        }));
    }
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        match t.await {
            Ok(r) => out.push(r),
            Err(e) => tracing::warn!("a probe task failed: {e}"),
        }
    }
    out
}

/// Probes many cameras, at most `cfg.concurrency` at once, and hands each result over as soon as
/// it is known (so recording overlaps with the slow probes still running).
pub fn probe_each(cams: Vec<Camera>, cfg: ProbeConfig) -> tokio::sync::mpsc::Receiver<(Camera, Outcome)> {
    let (tx, rx) = tokio::sync::mpsc::channel(cfg.concurrency.max(1) * 2);
    let sem = Arc::new(Semaphore::new(cfg.concurrency.max(1)));
    for cam in cams {
        let (sem, tx) = (sem.clone(), tx.clone());
        tokio::spawn(async move {
            let _permit = sem.acquire_owned().await;
            let o = probe(&cam, &cfg).await;
            let _ = tx.send((cam, o)).await;
        });
    }
    rx
}

/// Probes once: every chosen camera, its health saved, its state changed when the rules say so.
/// Returns the ids probed.
pub async fn probe_and_record(
    ioc: &Ioc,
    ids: &[String],
    cfg: ProbeConfig,
    policy: &Policy,
) -> Result<Vec<String>, IocError> {
    let mut cams = ioc.cameras().await?;
    if !ids.is_empty() {
        for id in ids {
            if !cams.iter().any(|c| c.id == *id) {
                return Err(IocError::NotFound(format!("camera {id} not found")));
            }
        }
        cams.retain(|c| ids.contains(&c.id));
    } else {
        // A round over the whole registry leaves out cameras that cannot exist on any network.
        cams.retain(|c| !unreachable_by_design(c));
    }
    let probed: Vec<String> = cams.iter().map(|c| c.id.clone()).collect();
    let mut results = probe_each(cams, cfg);
    while let Some((cam, outcome)) = results.recv().await {
        let prev = ioc.camera_health(&cam.id).await?;
        let (h, change) = step(cam.state, &prev, &outcome, chrono::Utc::now(), policy);
        ioc.put_camera_health(h).await?;
        if let Some((state, reason)) = change {
            tracing::info!("camera {}: {} → {state} ({reason})", cam.id, cam.state);
            let cmd = Command::SetCameraState {
                id: cam.id.clone(),
                state,
                reason,
            };
            ioc.execute(cmd.into()).await?;
        }
    }
    camera_cases(ioc, &probed, policy).await?;
    Ok(probed)
}

/// True when every address of a camera is under a name reserved never to resolve (`.example`,
/// `.invalid`: RFC 2606 and 6761), as the demo city's cameras are, whose health comes from the
/// simulator (`demo live`). A round over all cameras skips them: a lookup of such a name can
/// only fail, slowly, and would open an outage case for a camera that was never there.
pub fn unreachable_by_design(cam: &Camera) -> bool {
    let reserved = |url: &str| {
        reqwest::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(|h| h.trim_end_matches('.').to_ascii_lowercase()))
            .is_some_and(|h| matches!(h.rsplit('.').next(), Some("example" | "invalid")))
    };
    let urls: Vec<&str> = [&cam.rtsp_url, &cam.snapshot_url]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    !urls.is_empty() && urls.iter().all(|u| reserved(u))
}

/// Applies the outage rule ([`crate::domain::raise::camera_commands`]) to the chosen cameras:
/// opens a case for each camera offline longer than `policy.case_after`, closes the case of each
/// camera that is back. Returns the commands that changed something.
pub async fn camera_cases(ioc: &Ioc, ids: &[String], policy: &Policy) -> Result<usize, IocError> {
    let ids: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
    let mut st = ioc.camera_statuses().await?;
    st.retain(|s| ids.contains(s.id.as_str()));
    let mut changed = 0;
    for cmd in crate::domain::raise::camera_commands(&st, chrono::Utc::now(), policy.case_after) {
        let events = ioc.execute(cmd.into()).await?;
        if let Some(e) = events
            .iter()
            .find(|e| matches!(e.data, crate::domain::EventData::CaseRaised { .. }))
        {
            tracing::info!("camera outage: case {} raised", e.data.subject());
        }
        changed += usize::from(!events.is_empty());
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_strip_credentials() {
        let (h, p, u) = target("rtsp://admin:pw@10.0.0.5/Streaming/101").unwrap_or_default();
        assert_eq!((h.as_str(), p), ("10.0.0.5", 554));
        assert_eq!(u, "rtsp://10.0.0.5/Streaming/101");
        assert!(target("http://x/").is_err());
    }

    #[test]
    fn reserved_names_are_left_to_the_simulator() {
        let cam = |rtsp: Option<&str>, snap: Option<&str>| Camera {
            id: "cam-1".into(),
            name: "Cầu Trường Tiền".into(),
            site: "truong-tien".into(),
            kind: crate::domain::CameraKind::Fixed,
            rtsp_url: rtsp.map(str::to_string),
            snapshot_url: snap.map(str::to_string),
            lat: None,
            lon: None,
            ward: None,
            state: crate::domain::CameraState::Unknown,
            state_since: chrono::Utc::now(),
        };
        assert!(unreachable_by_design(&cam(
            Some("rtsp://c1.cam.ioc.hue.example:554/live"),
            None
        )));
        assert!(unreachable_by_design(&cam(
            Some("rtsp://cam.invalid/live"),
            Some("http://cam.EXAMPLE./snap.jpg")
        )));
        // One real address is enough to probe it; no address at all is probed (and fails).
        assert!(!unreachable_by_design(&cam(
            Some("rtsp://c1.example/live"),
            Some("http://10.0.0.5/snap.jpg")
        )));
        assert!(!unreachable_by_design(&cam(Some("rtsp://example.com/live"), None)));
        assert!(!unreachable_by_design(&cam(Some("rtsp://10.0.0.5/live"), None)));
        assert!(!unreachable_by_design(&cam(None, None)));
    }
}
