//! Minimal Prometheus metrics without extra dependencies: request counts by status class and a
//! latency histogram, rendered in the text exposition format at `/metrics`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

const BUCKETS_MS: [f64; 10] = [0.5, 1.0, 2.5, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 1000.0];

/// Counters.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: [AtomicU64; 5],
    buckets: [AtomicU64; 10],
    sum_us: AtomicU64,
    count: AtomicU64,
}

impl Metrics {
    /// Records one request.
    pub fn observe(&self, status: u16, elapsed_ms: f64) {
        let class = (status / 100).clamp(1, 5) as usize - 1;
        self.requests[class].fetch_add(1, Ordering::Relaxed);
        for (i, b) in BUCKETS_MS.iter().enumerate() {
            if elapsed_ms <= *b {
                self.buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.sum_us
            .fetch_add((elapsed_ms * 1000.0) as u64, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    /// Prometheus text format.
    pub fn render(&self, extra: &[(&str, &str, f64)]) -> String {
        let mut s = String::from(
            "# HELP thutuc_http_requests_total HTTP requests by status class.\n# TYPE thutuc_http_requests_total counter\n",
        );
        for (i, c) in self.requests.iter().enumerate() {
            s.push_str(&format!(
                "thutuc_http_requests_total{{class=\"{}xx\"}} {}\n",
                i + 1,
                c.load(Ordering::Relaxed)
            ));
        }
        s.push_str("# HELP thutuc_http_request_duration_seconds Request latency.\n# TYPE thutuc_http_request_duration_seconds histogram\n");
        for (i, b) in BUCKETS_MS.iter().enumerate() {
            s.push_str(&format!(
                "thutuc_http_request_duration_seconds_bucket{{le=\"{}\"}} {}\n",
                b / 1000.0,
                self.buckets[i].load(Ordering::Relaxed)
            ));
        }
        let count = self.count.load(Ordering::Relaxed);
        s.push_str(&format!(
            "thutuc_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}\n"
        ));
        s.push_str(&format!(
            "thutuc_http_request_duration_seconds_sum {}\n",
            self.sum_us.load(Ordering::Relaxed) as f64 / 1e6
        ));
        s.push_str(&format!(
            "thutuc_http_request_duration_seconds_count {count}\n"
        ));
        for (name, help, v) in extra {
            s.push_str(&format!(
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {v}\n"
            ));
        }
        s
    }
}

/// Middleware recording every request.
pub async fn track(State(m): State<std::sync::Arc<Metrics>>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let resp = next.run(req).await;
    m.observe(
        resp.status().as_u16(),
        start.elapsed().as_secs_f64() * 1000.0,
    );
    resp
}
