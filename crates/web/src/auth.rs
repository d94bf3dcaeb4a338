//! API authentication (bearer tokens) and capability values. A write handler can only call
//! the store after obtaining a capability from [`Actor::may`], which consults the pure
//! permission matrix in `thutuc_domain::access` with the organisation scope.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};
use thutuc_domain::access::{self, Action, Role, Scope};
use thutuc_store::Store;

use crate::error::WebError;
use crate::state::AppState;

/// Hashes an API token for storage and lookup (tokens are 256-bit random, so a fast hash is right).
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// An authenticated user.
#[derive(Debug, Clone)]
pub struct Actor {
    /// User id.
    pub user_id: i64,
    /// E-mail, recorded as author of changes.
    pub email: String,
    /// Organisation.
    pub org_id: String,
    /// Role.
    pub role: Role,
}

/// Proof that `actor` may perform `action` on records of `org`. Only [`Actor::may`] makes one.
#[derive(Debug)]
pub struct Capability<'a> {
    /// Who.
    pub actor: &'a Actor,
    /// What.
    pub action: Action,
    /// On which organisation's records.
    pub org: String,
}

impl Actor {
    /// Checks the matrix for a target organisation and returns a capability or a 403 naming why.
    pub fn may<S: Store>(
        &self,
        state: &AppState<S>,
        action: Action,
        target_org: &str,
    ) -> Result<Capability<'_>, WebError> {
        let scope = if state.tree().is_within(target_org, &self.org_id) {
            Scope::Own
        } else {
            Scope::Other
        };
        if access::allowed(self.role, action, scope) {
            Ok(Capability {
                actor: self,
                action,
                org: target_org.to_string(),
            })
        } else {
            Err(WebError::forbidden(format!(
                "vai trò «{}» của {} không được thực hiện «{action:?}» với dữ liệu của tổ chức {target_org} / not allowed",
                self.role.label_vi(),
                self.org_id
            )))
        }
    }
}

impl<S: Store> FromRequestParts<AppState<S>> for Actor {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState<S>,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(WebError::unauthorized)?;
        let token = header
            .strip_prefix("Bearer ")
            .ok_or_else(WebError::unauthorized)?
            .trim();
        let user = state
            .store
            .user_by_token(&hash_token(token))
            .await
            .map_err(|_| WebError::unauthorized())?;
        let role = Role::parse(&user.role)
            .ok_or_else(|| WebError::forbidden("vai trò không hợp lệ / unknown role"))?;
        if let Some(slot) = parts.extensions.get::<crate::api::audit::AuditSlot>() {
            let _ = slot.0.set(user.email.clone());
            thutuc_store::audit_scope::set_pending_actor(&user.email);
        }
        Ok(Actor {
            user_id: user.id,
            email: user.email,
            org_id: user.org_id,
            role,
        })
    }
}
