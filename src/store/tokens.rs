//! API tokens for the server: only a SHA-256 hash of each secret is stored, never the secret.

use super::{Store, StoreError};
use crate::domain::{Actor, Role};
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A token as listed: everything but the secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenInfo {
    /// Short public id (used by `token revoke`).
    pub id: String,
    /// The actor name recorded on the events this token causes.
    pub name: String,
    /// What the token may do.
    pub role: Role,
    /// The agency it is limited to, if any.
    pub agency: Option<String>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it stops working, if ever.
    pub expires_at: Option<DateTime<Utc>>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl TokenInfo {
    /// True when the token may be used at `now`.
    pub fn is_valid(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| e > now)
    }

    /// The actor a request with this token acts as.
    pub fn actor(&self) -> Actor {
        Actor {
            name: self.name.clone(),
            role: self.role,
            agency: self.agency.clone(),
        }
    }
}

/// The hex SHA-256 of a secret, as stored.
pub fn hash_secret(secret: &str) -> String {
    let d = Sha256::digest(secret.as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

fn parse_time(s: Option<String>) -> Option<DateTime<Utc>> {
    s.and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
        .map(|t| t.with_timezone(&Utc))
}

fn row_to_info(r: &rusqlite::Row<'_>) -> rusqlite::Result<TokenInfo> {
    let role: String = r.get(2)?;
    Ok(TokenInfo {
        id: r.get(0)?,
        name: r.get(1)?,
        // An unknown role in the table (a newer iocdesk) gets the least power.
        role: role.parse().unwrap_or(Role::Viewer),
        agency: r.get(3)?,
        created_at: parse_time(r.get(4)?).unwrap_or_default(),
        expires_at: parse_time(r.get(5)?),
        revoked_at: parse_time(r.get(6)?),
    })
}

const COLUMNS: &str = "id, name, role, agency, created_at, expires_at, revoked_at";

impl Store {
    /// Stores a new token under the hash of `secret`.
    pub fn create_token(&mut self, info: &TokenInfo, secret: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO tokens (id, hash, name, role, agency, created_at, expires_at, revoked_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL)",
            params![
                info.id,
                hash_secret(secret),
                info.name,
                info.role.as_str(),
                info.agency,
                info.created_at.to_rfc3339(),
                info.expires_at.map(|t| t.to_rfc3339()),
            ],
        )?;
        Ok(())
    }

    /// The token whose secret is `secret`, valid or not.
    pub fn token_by_secret(&self, secret: &str) -> Result<Option<TokenInfo>, StoreError> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM tokens WHERE hash = ?1"),
                [hash_secret(secret)],
                row_to_info,
            )
            .optional()?)
    }

    /// Every token, oldest first.
    pub fn tokens(&self) -> Result<Vec<TokenInfo>, StoreError> {
        let mut st = self
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM tokens ORDER BY created_at, id"))?;
        let rows = st.query_map([], row_to_info)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Revokes a token; false when there is no such id.
    pub fn revoke_token(&mut self, id: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let n = self.conn.execute(
            "UPDATE tokens SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1",
            params![id, now.to_rfc3339()],
        )?;
        Ok(n > 0)
    }
}
