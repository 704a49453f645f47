//! Agency scope on the event log: an agency-scoped token sees only the events of its own cases
//! and of the reports in them (the read routes are already scoped by the core).

use crate::domain::Event;
use crate::ioc::{IocError, LocalIoc};
use std::collections::HashSet;

/// Which subjects (report or case ids) one agency may see, remembered per stream. Only "yes" is
/// remembered: a report the agency cannot see yet may join one of its cases later.
pub(super) struct Scope {
    core: LocalIoc,
    agency: String,
    seen: HashSet<String>,
}

impl Scope {
    /// A scope for `agency` over `core`.
    pub(super) fn new(core: LocalIoc, agency: String) -> Self {
        Scope {
            core,
            agency,
            seen: HashSet::new(),
        }
    }

    /// Keeps only the events the agency may see.
    pub(super) async fn filter(&mut self, events: Vec<Event>) -> Result<Vec<Event>, IocError> {
        let unknown: Vec<String> = events
            .iter()
            .map(|e| e.data.subject().to_string())
            .filter(|s| !self.seen.contains(s))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        if !unknown.is_empty() {
            let core = self.core.clone();
            let agency = self.agency.clone();
            let found = tokio::task::spawn_blocking(move || {
                core.blocking(|s| -> Result<Vec<(String, bool)>, IocError> {
                    let mut out = Vec::with_capacity(unknown.len());
                    for id in unknown {
                        let case_id = match s.report(&id)? {
                            Some(r) => r.case_id,
                            None => Some(id.clone()),
                        };
                        let ok = match case_id {
                            Some(c) => s.case(&c)?.is_some_and(|c| c.agencies.contains(&agency)),
                            None => false,
                        };
                        out.push((id, ok));
                    }
                    Ok(out)
                })
            })
            .await
            .map_err(|e| IocError::Internal(format!("scope check failed: {e}")))???;
            for (id, ok) in found {
                if ok {
                    self.seen.insert(id);
                }
            }
        }
        Ok(events
            .into_iter()
            .filter(|e| self.seen.contains(e.data.subject()))
            .collect())
    }
}
