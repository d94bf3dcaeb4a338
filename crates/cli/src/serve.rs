//! `thutuc serve`: binds, builds the application state and serves until Ctrl-C.

use thutuc_store::Store;
use thutuc_web::AppState;

use crate::config::Config;

/// Creates the directory of a SQLite database file when missing.
pub fn ensure_sqlite_dir(url: &str) -> anyhow::Result<()> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or(path);
    if let Some(dir) = std::path::Path::new(path).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow::anyhow!("không tạo được thư mục {}: {e}", dir.display()))?;
    }
    Ok(())
}

/// Serves `store`. `banner` is printed once listening (the demo prints its accounts there).
pub async fn serve<S: Store>(store: S, cfg: &Config, banner: Option<String>) -> anyhow::Result<()> {
    crate::seed::ensure_reference(&store).await?;
    let stored = store.calendar_days().await?;
    let state = AppState::new(store, cfg.publication.clone(), cfg.calendar_with(stored)?).await?;
    let state = if cfg.search_dir.is_empty() {
        state
    } else {
        state.with_search(open_search(&cfg.search_dir, &cfg.listen)?)
    };
    let indexing = state.clone();
    tokio::spawn(async move {
        let t = std::time::Instant::now();
        match indexing.reindex().await {
            Ok(n) => tracing::info!(
                procedures = n,
                seconds = t.elapsed().as_secs_f64(),
                "search index built"
            ),
            Err(e) => tracing::error!(error = %e, "search index build failed"),
        }
    });
    tokio::spawn(thutuc_web::state::catch_up_loop(state.clone()));
    start_jobs(&state, cfg)?;
    let feedback = thutuc_web::api::feedback::service::FeedbackRuntime::from_env()
        .with_deadlines(cfg.feedback.deadline_config()?);
    let app = thutuc_web::router_full(
        state,
        thutuc_web::session::PagesConfig::from_env(),
        feedback,
    );
    let listener = tokio::net::TcpListener::bind(&cfg.listen)
        .await
        .map_err(|e| anyhow::anyhow!("không mở được cổng {}: {e}", cfg.listen))?;
    let addr = listener.local_addr()?;
    if let Some(b) = banner {
        println!("{b}");
    }
    println!("thutuc đang chạy / serving on http://{addr}/  (API: http://{addr}/api/docs)");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}

/// Starts the scheduler of sweeps and the outbox worker (unless `jobs.tick_secs` is 0).
fn start_jobs<S: Store>(state: &AppState<S>, cfg: &Config) -> anyhow::Result<()> {
    if cfg.jobs.tick_secs == 0 {
        return Ok(());
    }
    let mailer = thutuc_jobs::Mailer::from_config(&cfg.mail)?;
    if !mailer.is_enabled() {
        tracing::warn!("mail.transport is empty: mail stays queued in the outbox");
    }
    let cell = state.calendar.clone();
    let setup = thutuc_jobs::JobsSetup {
        task_reminders: thutuc_jobs::tasks::TaskReminderSweep {
            policy: cfg.jobs.task_reminders.clone(),
            ..Default::default()
        },
        feedback: thutuc_jobs::feedback::FeedbackEscalationSweep {
            config: cfg.feedback.deadline_config()?,
        },
        monthly_edition: cfg.jobs.monthly_edition.clone().map(|s| {
            thutuc_jobs::reports::MonthlyEditionSweep::new(
                s,
                state.rules.clone(),
                cfg.jobs.place.clone(),
            )
        }),
    };
    let runner = thutuc_jobs::standard_runner(
        state.store.clone(),
        mailer,
        cfg.jobs.delivery.clone(),
        std::sync::Arc::new(move || cell.get()),
        setup,
    );
    tracing::info!(sweeps = ?runner.sweep_names(), "background jobs started");
    runner.spawn(std::time::Duration::from_secs(cfg.jobs.tick_secs));
    Ok(())
}

/// Opens a fresh on-disk search index for this server (one directory per listen address, so
/// several servers on one machine do not share a writer); it is rebuilt from the database.
fn open_search(dir: &str, listen: &str) -> anyhow::Result<thutuc_search::SearchIndex> {
    let path = std::path::Path::new(dir).join(listen.replace([':', '.', '[', ']'], "_"));
    if path.exists() {
        std::fs::remove_dir_all(&path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    }
    std::fs::create_dir_all(&path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let cfg = thutuc_search::SearchConfig {
        dir: Some(path),
        writer_threads: 1,
        writer_memory: 32 * 1024 * 1024,
        ..Default::default()
    };
    Ok(thutuc_search::SearchIndex::open(cfg)?)
}
