//! `thutuc user`: create users and API tokens.

use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
use clap::Subcommand;
use rand::RngCore;
use thutuc_domain::access::Role;
use thutuc_store::{NewUser, Store};

use crate::cli_audit::{audited, entry};

/// User commands.
#[derive(Subcommand, Debug)]
pub enum UserCmd {
    /// Create a user and print an API token for it.
    Add {
        /// E-mail (login).
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// Organisation id (e.g. BTP, P01).
        #[arg(long)]
        org: String,
        /// Role: admin, oversight, officer, leader.
        #[arg(long)]
        role: String,
        /// Password (default: generated and printed).
        #[arg(long)]
        password: Option<String>,
    },
    /// Print a new API token for an existing user.
    Token {
        /// E-mail.
        #[arg(long)]
        email: String,
        /// Label.
        #[arg(long, default_value = "cli")]
        label: String,
    },
}

/// Hashes a password with argon2id.
pub fn hash_password(pw: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(argon2::Argon2::default()
        .hash_password(pw.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("argon2: {e}"))?
        .to_string())
}

/// A random 256-bit token, hex.
pub fn new_token() -> String {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// Creates a user; returns the user and a fresh token.
pub async fn create<S: Store>(
    s: &S,
    email: &str,
    name: &str,
    org: &str,
    role: &str,
    password: &str,
) -> anyhow::Result<(thutuc_store::User, String)> {
    if Role::parse(role).is_none() {
        anyhow::bail!("vai trò «{role}» không hợp lệ; dùng admin, oversight, officer hoặc leader");
    }
    let user = s
        .create_user(&NewUser {
            email: email.into(),
            name: name.into(),
            org_id: org.into(),
            role: role.into(),
            password_hash: hash_password(password)?,
        })
        .await?;
    let token = new_token();
    s.add_token(user.id, &thutuc_web::auth::hash_token(&token), "cli")
        .await?;
    Ok((user, token))
}

/// Runs a user command; each change is recorded in the audit log.
pub async fn run<S: Store>(s: &S, cmd: UserCmd) -> anyhow::Result<()> {
    crate::seed::ensure_reference(s).await?;
    match cmd {
        UserCmd::Add {
            email,
            name,
            org,
            role,
            password,
        } => {
            let generated = password.is_none();
            let pw = password.unwrap_or_else(|| new_token()[..16].to_string());
            let e = entry(
                "user.create",
                ("user", &email),
                serde_json::json!({ "email": email, "name": name, "org": org, "role": role }),
            );
            let (user, token) = audited(s, e, create(s, &email, &name, &org, &role, &pw)).await?;
            println!(
                "Đã tạo người dùng / created user {} ({}, {})",
                user.email, user.org_id, user.role
            );
            if generated {
                println!("Mật khẩu / password: {pw}");
            }
            println!("Mã truy cập API / API token: {token}");
        }
        UserCmd::Token { email, label } => {
            let user = s.user_by_email(&email).await?;
            let token = new_token();
            let e = entry(
                "token.add",
                ("user", &email),
                serde_json::json!({ "label": label }),
            );
            let add = async {
                s.add_token(user.id, &thutuc_web::auth::hash_token(&token), &label)
                    .await
                    .map_err(anyhow::Error::from)
            };
            audited(s, e, add).await?;
            println!("{token}");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use thutuc_store::AuditStore;

    #[tokio::test]
    async fn user_commands_are_recorded_in_the_audit_log() {
        let dir = tempfile::tempdir().expect("dir");
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let s = thutuc_store_sqlite::SqliteStore::connect(&url)
            .await
            .expect("store");
        let add = UserCmd::Add {
            email: "a@btp.gov.vn".into(),
            name: "A".into(),
            org: "BTP".into(),
            role: "officer".into(),
            password: Some("mat-khau-du-dai-123".into()),
        };
        run(&s, add).await.expect("add");
        let token = UserCmd::Token {
            email: "a@btp.gov.vn".into(),
            label: "ci".into(),
        };
        run(&s, token).await.expect("token");
        let log = s
            .audit_entries(&thutuc_store::AuditFilter {
                limit: 10,
                ..Default::default()
            })
            .await
            .expect("log")
            .items;
        let mut got: Vec<(String, String)> = log
            .iter()
            .map(|e| (e.action.clone(), e.entity_id.clone()))
            .collect();
        got.sort();
        assert_eq!(
            got,
            [
                ("token.add".to_string(), "a@btp.gov.vn".to_string()),
                ("user.create".to_string(), "a@btp.gov.vn".to_string()),
            ]
        );
        assert!(log.iter().all(|e| e.actor.starts_with("cli:")));
        assert!(s.verify_audit().await.expect("verify").is_intact());
    }
}
