//! `GET /api/v1/events`: the event log as Server-Sent Events, resumable with `Last-Event-ID`
//! (or `?after=SEQ`); without either, only events from now on.

use super::AppState;
use super::auth::Authed;
use super::error::ApiError;
use super::routes::ApiQuery;
use crate::ioc::wire::{AfterQuery, SEQ_MAX};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::{Stream, StreamExt};
use std::convert::Infallible;
use std::time::Duration;

/// Streams events after the client's last seen sequence number, then live ones.
pub(super) async fn events(
    Authed(ioc): Authed,
    State(st): State<AppState>,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<AfterQuery>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let from_header = match headers.get("last-event-id") {
        Some(v) => Some(
            v.to_str()
                .ok()
                .and_then(|s| s.trim().parse::<u64>().ok())
                .filter(|s| *s <= SEQ_MAX)
                .ok_or_else(|| ApiError::bad_request("Last-Event-ID must be a sequence number"))?,
        ),
        None => None,
    };
    let after = match from_header.or(q.after) {
        Some(a) if a > SEQ_MAX => return Err(ApiError::bad_request(format!("after: beyond {SEQ_MAX}"))),
        Some(a) => a,
        None => ioc.counts().await?.last_seq,
    };
    let rx = ioc.subscribe(after);
    let stream = futures::stream::unfold(rx, |mut rx| async move {
        let item = rx.recv().await?;
        let ev = match item {
            Ok(e) => Event::default()
                .id(e.seq.to_string())
                .event(e.data.kind())
                .json_data(&e)
                .unwrap_or_else(|_| Event::default().comment("unencodable event")),
            Err(e) => Event::default().event("error").data(e.to_string()),
        };
        Some((Ok::<_, Infallible>(ev), rx))
    });
    let mut stop = st.stop.subscribe();
    let stopped = async move {
        let _ = stop.wait_for(|s| *s).await.map(|_| ());
    };
    Ok(Sse::new(stream.take_until(Box::pin(stopped))).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
