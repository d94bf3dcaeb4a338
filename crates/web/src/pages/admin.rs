//! User administration: an administrator lists the users of their organisation subtree and
//! creates accounts (argon2id initial password). Every creation is audited.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::json;
use thutuc_domain::access::{Action, Role};
use thutuc_store::{NewUser, Store, StoreError};

use crate::pages::audit::{audited, entry};
use crate::pages::context::{Base, Ctx};
use crate::pages::error::{PageResult, html};
use crate::pages::fmt;
use crate::session::{self, MIN_PASSWORD};
use crate::state::AppState;

/// A user row.
#[derive(Debug, Clone)]
pub struct UserRow {
    /// E-mail.
    pub email: String,
    /// Name.
    pub name: String,
    /// Organisation name.
    pub org: String,
    /// Role label.
    pub role: &'static str,
}

/// The creation form (kept on errors, except the password).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewUserForm {
    /// E-mail.
    #[serde(default)]
    pub email: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Organisation id.
    #[serde(default)]
    pub org: String,
    /// Role id.
    #[serde(default)]
    pub role: String,
    /// Initial password.
    #[serde(default, skip_serializing)]
    pub password: String,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    b: Base,
    rows: Vec<UserRow>,
    form: NewUserForm,
    roles: Vec<(&'static str, &'static str)>,
    errors: Vec<String>,
    created: Option<String>,
}

async fn render<S: Store>(
    st: &AppState<S>,
    ctx: &Ctx,
    form: NewUserForm,
    errors: Vec<String>,
    created: Option<String>,
    status: StatusCode,
) -> PageResult {
    let v = ctx.viewer()?;
    v.actor.may(st, Action::Administer, &v.actor.org_id)?;
    let tree = st.tree();
    let scope = tree.subtree(&v.actor.org_id);
    let lang = ctx.lang;
    let rows = st
        .store
        .list_users(Some(&scope))
        .await?
        .into_iter()
        .map(|u| UserRow {
            org: tree
                .get(&u.org_id)
                .map(|o| format!("{} ({})", o.name, o.id))
                .unwrap_or(u.org_id),
            role: Role::parse(&u.role)
                .map(|r| lang.t(fmt::role_key(r)))
                .unwrap_or(""),
            email: u.email,
            name: u.name,
        })
        .collect();
    let mut r = html(&UsersPage {
        b: ctx.base(lang.t("users.title"), "workspace"),
        rows,
        form,
        roles: Role::ALL
            .iter()
            .map(|r| (r.as_str(), lang.t(fmt::role_key(*r))))
            .collect(),
        errors,
        created,
    })?;
    *r.status_mut() = status;
    Ok(r)
}

/// `GET /quan-tri/nguoi-dung`.
pub async fn list<S: Store>(State(st): State<AppState<S>>, ctx: Ctx) -> PageResult {
    render(
        &st,
        &ctx,
        NewUserForm::default(),
        vec![],
        None,
        StatusCode::OK,
    )
    .await
}

/// `POST /quan-tri/nguoi-dung`.
pub async fn create<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Form(mut f): Form<NewUserForm>,
) -> PageResult {
    let v = ctx.viewer()?;
    v.actor.may(&st, Action::Administer, &v.actor.org_id)?;
    let password = std::mem::take(&mut f.password);
    let mut errors = Vec::new();
    let email = f.email.trim().to_lowercase();
    if !email.contains('@') || email.len() > 200 {
        errors.push(format!("Thư điện tử «{email}» không hợp lệ."));
    }
    if f.name.trim().is_empty() {
        errors.push("Họ tên không được để trống.".into());
    }
    if Role::parse(&f.role).is_none() {
        errors.push(format!("Vai trò «{}» không hợp lệ.", f.role));
    }
    let org = f.org.trim().to_string();
    if st.tree().get(&org).is_none() {
        errors.push(format!(
            "Tổ chức «{org}» không tồn tại (nhập mã, ví dụ BTP, P01)."
        ));
    }
    if password.chars().count() < MIN_PASSWORD {
        errors.push("Mật khẩu ban đầu phải có ít nhất 10 ký tự.".into());
    }
    if !errors.is_empty() {
        return render(&st, &ctx, f, errors, None, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let cap = v.actor.may(&st, Action::Administer, &org)?;
    let hash = session::hash_password(password).await?;
    let new_user = NewUser {
        email,
        name: f.name.trim().to_string(),
        org_id: org,
        role: f.role.clone(),
        password_hash: hash,
    };
    let e = entry(
        &cap.actor.email,
        "user.create",
        ("user", &new_user.email),
        None,
        Some(
            json!({"email": new_user.email, "name": new_user.name, "org": new_user.org_id, "role": new_user.role}),
        ),
    );
    let created = match audited(&st.store, e, st.store.create_user(&new_user)).await {
        Ok(u) => u,
        Err(StoreError::Conflict { message, .. } | StoreError::Invalid { message, .. }) => {
            return render(&st, &ctx, f, vec![message], None, StatusCode::CONFLICT).await;
        }
        Err(e) => return Err(e.into()),
    };
    render(
        &st,
        &ctx,
        NewUserForm::default(),
        vec![],
        Some(created.email),
        StatusCode::OK,
    )
    .await
}
