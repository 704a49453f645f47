//! `demo live`: keeps the demo city alive through the core handle — new reports arrive, agencies
//! acknowledge, work and answer — until interrupted.

use super::rng::Rng;
use super::texts::TextBank;
use crate::domain::query::CaseFilter;
use crate::domain::{Actor, CaseState, Channel, Command, Envelope, NewReport, Role};
use crate::ioc::{Ioc, IocError, LocalIoc};
use std::time::Duration;

/// Runs the simulator until Ctrl-C (or for `duration`).
pub async fn run(ioc: Ioc, rate: f64, seed: u64, duration: Option<Duration>, quiet: bool) -> Result<(), IocError> {
    let mut r = Rng::new(seed ^ (chrono::Utc::now().timestamp() as u64));
    let bank = TextBank::load();
    let period = Duration::from_secs_f64(1.0 / rate.clamp(0.01, 1000.0));
    let mut tick = tokio::time::interval(period);
    let stop = async {
        match duration {
            Some(d) => tokio::time::sleep(d).await,
            None => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    };
    tokio::pin!(stop);
    let mut n = 0u64;
    loop {
        tokio::select! {
            _ = &mut stop => break,
            _ = tick.tick() => {}
        }
        let cat = *r.pick(&[
            "waste",
            "drainage",
            "roads",
            "street_lighting",
            "urban_order",
            "public_security",
            "trees_parks",
            "water_supply",
            "invalid",
        ]);
        let c = bank.compose(cat, &mut r);
        let report = NewReport {
            channel: Some(Channel::App),
            text: c.text,
            ward: Some(c.ward),
            lat: Some(c.lat),
            lon: Some(c.lon),
            address: (!c.address.is_empty()).then_some(c.address),
            ..NewReport::default()
        };
        ioc.submit(report).await?;
        n += 1;
        // Every few reports an agency moves one of its cases on.
        if r.chance(0.5) {
            progress_one(&ioc, &mut r, bank).await?;
        }
        // Camera heartbeats: now and then a camera degrades, drops out or comes back.
        if n.is_multiple_of(5) {
            heartbeat(&ioc, &mut r).await?;
        }
        if !quiet && n.is_multiple_of(10) {
            eprintln!("demo live: {n} reports submitted");
        }
    }
    Ok(())
}

async fn progress_one(ioc: &Ioc, r: &mut Rng, bank: &TextBank) -> Result<(), IocError> {
    let f = CaseFilter {
        states: CaseState::AWAITING.to_vec(),
        limit: 50,
        ..CaseFilter::default()
    };
    let cases = ioc.cases(f).await?;
    if cases.is_empty() {
        return Ok(());
    }
    let c = r.pick(&cases).clone();
    let Some(agency) = c.agencies.first().cloned() else {
        return Ok(());
    };
    let unit = Actor {
        name: format!("{agency}.canbo"),
        role: Role::Officer,
        agency: Some(agency),
    };
    // A remote handle acts only as its token's actor, so it cannot play the agency's part.
    let Ioc::Local(local) = ioc else {
        return Ok(());
    };
    let as_unit = Ioc::Local(LocalIoc::as_actor(local, unit));
    let cmd = match c.state {
        CaseState::Forwarded => Command::Acknowledge {
            case_id: c.id.clone(),
            agency: None,
        },
        CaseState::Acknowledged | CaseState::Returned => Command::StartWork { case_id: c.id.clone() },
        _ => Command::Answer {
            case_id: c.id.clone(),
            text: bank.answer(&c.category, r),
            agency: None,
        },
    };
    match as_unit
        .execute(Envelope {
            command: cmd,
            expected_version: Some(c.version),
        })
        .await
    {
        Ok(_) | Err(IocError::Conflict { .. }) | Err(IocError::Invalid(_)) => Ok(()),
        Err(e) => Err(e),
    }
}

/// Moves one camera's health on, as the prober would report it.
async fn heartbeat(ioc: &Ioc, r: &mut Rng) -> Result<(), IocError> {
    use crate::domain::CameraState::*;
    let cams = ioc.cameras().await?;
    if cams.is_empty() {
        return Ok(());
    }
    let cam = r.pick(&cams);
    let (state, reason) = match (cam.state, r.below(100)) {
        (Maintenance, _) => return Ok(()),
        (Online, 0..=59) => (Degraded, "probe latency over 800 ms"),
        (Online, _) => (Offline, "no answer to RTSP OPTIONS"),
        (_, 0..=79) => (Online, "stream described"),
        (Degraded, _) => (Offline, "no answer to RTSP OPTIONS"),
        (_, _) => (Degraded, "service answers, stream missing"),
    };
    // Only the embedded core can act as the system; a remote desk leaves cameras to the server.
    let Ioc::Local(local) = ioc else { return Ok(()) };
    let system = Ioc::Local(local.as_actor(Actor::system()));
    let cmd = Command::SetCameraState {
        id: cam.id.clone(),
        state,
        reason: reason.into(),
    };
    match system.execute(Envelope::from(cmd)).await {
        Ok(_) | Err(IocError::Invalid(_)) => Ok(()),
        Err(e) => Err(e),
    }
}
