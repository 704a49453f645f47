//! `iocdesk token create|list|revoke`: bearer tokens for `serve`, stored as SHA-256 hashes.

use super::output::{Format, Tabular, local, print_list};
use super::{Env, Usage};
use crate::domain::{Role, catalog};
use crate::ioc::TokenInfo;
use chrono::Utc;
use clap::{Args, Subcommand};
use serde::Serialize;
use std::io::Read;

/// `iocdesk token …`
#[derive(Debug, Subcommand)]
pub enum TokenCmd {
    /// Make a token; its secret is printed once and never stored.
    Create(CreateArgs),
    /// List tokens (never their secrets).
    List,
    /// Revoke a token by id.
    Revoke {
        /// Token id (from `token list`).
        id: String,
    },
}

/// `token create` flags.
#[derive(Debug, Args, Clone)]
pub struct CreateArgs {
    /// viewer, officer, supervisor, admin or intake.
    #[arg(long)]
    pub role: String,
    /// Limit the token to one agency's cases (agency code).
    #[arg(long)]
    pub agency: Option<String>,
    /// The actor name on the events it causes (default: token-ID).
    #[arg(long)]
    pub name: Option<String>,
    /// Lifetime, e.g. 30d or 12h (default: no expiry).
    #[arg(long)]
    pub expires: Option<String>,
}

#[derive(Serialize)]
struct Created<'a> {
    id: &'a str,
    token: &'a str,
    role: Role,
    agency: &'a Option<String>,
    expires_at: Option<chrono::DateTime<Utc>>,
}

impl Tabular for TokenInfo {
    fn headers() -> &'static [&'static str] {
        &["id", "name", "role", "agency", "created", "expires", "state"]
    }
    fn cells(&self) -> Vec<String> {
        let now = Utc::now();
        vec![
            self.id.clone(),
            self.name.clone(),
            self.role.to_string(),
            self.agency.clone().unwrap_or_else(|| "-".into()),
            local(self.created_at),
            self.expires_at.map(local).unwrap_or_else(|| "never".into()),
            if self.revoked_at.is_some() {
                "revoked".into()
            } else if self.is_valid(now) {
                "active".into()
            } else {
                "expired".into()
            },
        ]
    }
}

/// `n` random bytes from the operating system, as hex.
fn random_hex(n: usize) -> anyhow::Result<String> {
    let mut buf = vec![0u8; n];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut buf))
        .map_err(|e| anyhow::anyhow!("cannot read /dev/urandom: {e}"))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// Runs `token …`.
pub async fn run(cmd: TokenCmd, env: &Env) -> anyhow::Result<i32> {
    let store = env.local_ioc()?;
    let mut out = std::io::stdout().lock();
    match cmd {
        TokenCmd::Create(a) => {
            let role: Role = a.role.parse().map_err(|e| Usage(format!("--role: {e}")))?;
            if let Some(ag) = &a.agency
                && catalog::agency(ag).is_none()
            {
                return Err(Usage(format!("--agency '{ag}': unknown agency code")).into());
            }
            let now = Utc::now();
            let expires_at = a
                .expires
                .as_deref()
                .map(super::list::parse_duration)
                .transpose()?
                .map(|d| now + d);
            let id = random_hex(4)?;
            let secret = format!("iocd_{}", random_hex(32)?);
            let info = TokenInfo {
                name: a
                    .name
                    .clone()
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| format!("token-{id}")),
                id,
                role,
                agency: a.agency.clone(),
                created_at: now,
                expires_at,
                revoked_at: None,
            };
            store.create_token(&info, &secret)?;
            let c = Created {
                id: &info.id,
                token: &secret,
                role,
                agency: &info.agency,
                expires_at,
            };
            match env.global.output {
                Format::Json | Format::Ndjson => {
                    use std::io::Write;
                    serde_json::to_writer(&mut out, &c)?;
                    writeln!(out)?;
                }
                _ => {
                    use std::io::Write;
                    writeln!(out, "{secret}")?;
                    eprintln!("token {} for {} ({role}); shown once: keep it safe", info.id, info.name);
                }
            }
        }
        TokenCmd::List => print_list(&store.tokens()?, env.global.output, &mut out)?,
        TokenCmd::Revoke { id } => {
            if !store.revoke_token(&id)? {
                return Err(crate::ioc::IocError::NotFound(format!("token {id} not found")).into());
            }
            eprintln!("token {id} revoked");
        }
    }
    Ok(0)
}
