//! `GET /api/v1/events`: the event log as Server-Sent Events, resumable with `Last-Event-ID`
//! (or `?after=SEQ`); without either, only events from now on. Agency-scoped tokens get only
//! their cases' events.

use super::AppState;
use super::auth::Authed;
use super::error::ApiError;
use super::routes::ApiQuery;
use super::scope::Scope;
use crate::ioc::wire::{AfterQuery, SEQ_MAX};
use crate::ioc::{Ioc, IocError};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::{Stream, StreamExt};
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::mpsc;

/// Events handed to the scope check at once (a replay arrives much faster than live events).
const BATCH: usize = 500;

/// The scope an actor's stream is filtered by, if any.
pub(super) fn scope_of(ioc: &Ioc, st: &AppState) -> Option<Scope> {
    ioc.actor().agency.clone().map(|a| Scope::new(st.core.clone(), a))
}

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
    let scope = scope_of(&ioc, &st);
    let rx = ioc.subscribe(after);
    let stream = futures::stream::unfold((rx, scope), |(mut rx, mut scope)| async move {
        let out = next_batch(&mut rx, &mut scope).await?;
        Some((futures::stream::iter(out), (rx, scope)))
    })
    .flatten();
    let mut stop = st.stop.subscribe();
    let stopped = async move {
        let _ = stop.wait_for(|s| *s).await.map(|_| ());
    };
    Ok(Sse::new(stream.take_until(Box::pin(stopped))).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

/// Waits for the next events, takes whatever else is ready, and turns them into SSE events.
async fn next_batch(
    rx: &mut mpsc::Receiver<Result<crate::domain::Event, IocError>>,
    scope: &mut Option<Scope>,
) -> Option<Vec<Result<Event, Infallible>>> {
    let mut items = vec![rx.recv().await?];
    while items.len() < BATCH {
        match rx.try_recv() {
            Ok(i) => items.push(i),
            Err(_) => break,
        }
    }
    let mut events = Vec::with_capacity(items.len());
    let mut errors = Vec::new();
    for i in items {
        match i {
            Ok(e) => events.push(e),
            Err(e) => errors.push(e),
        }
    }
    if let Some(s) = scope {
        events = s.filter(events).await.unwrap_or_else(|e| {
            errors.push(e);
            Vec::new()
        });
    }
    let mut out: Vec<Result<Event, Infallible>> = events
        .into_iter()
        .map(|e| {
            Ok(Event::default()
                .id(e.seq.to_string())
                .event(e.data.kind())
                .json_data(&e)
                .unwrap_or_else(|_| Event::default().comment("unencodable event")))
        })
        .collect();
    out.extend(
        errors
            .into_iter()
            .map(|e| Ok(Event::default().event("error").data(e.to_string()))),
    );
    Some(out)
}
