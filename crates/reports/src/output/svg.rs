//! Monthly trend bars as an inline SVG string (no JavaScript, no library), with an accessible
//! name and description and a `<title>` on every bar; the same numbers are always also in a
//! table next to the chart.

use crate::model::TrendPoint;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Stacked bars per month (new, amended, replaced, abolished). `id` must be unique in the page.
pub fn trend_bars(points: &[TrendPoint], title: &str, id: &str) -> String {
    const W: f64 = 640.0;
    const H: f64 = 220.0;
    const TOP: f64 = 16.0;
    const BOTTOM: f64 = 36.0;
    const LEFT: f64 = 36.0;
    let colors = ["#1b5e20", "#1565c0", "#ef6c00", "#b71c1c"];
    let names = ["Mới ban hành", "Sửa đổi, bổ sung", "Thay thế", "Bãi bỏ"];
    let max = points
        .iter()
        .map(|p| p.counts.total())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let n = points.len().max(1) as f64;
    let slot = (W - LEFT) / n;
    let bar = (slot * 0.7).max(2.0);
    let scale = (H - TOP - BOTTOM) / max;
    let summary = points
        .iter()
        .map(|p| {
            format!(
                "{}: {} mới, {} sửa đổi, {} thay thế, {} bãi bỏ",
                p.month, p.counts.new, p.counts.amended, p.counts.replaced, p.counts.abolished
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="100%" role="img" aria-labelledby="{id}-t {id}-d" class="trend-chart"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        esc(title),
        esc(&summary)
    );
    s.push_str(&format!(
        r##"<line x1="{LEFT}" y1="{y}" x2="{W}" y2="{y}" stroke="#555" stroke-width="1"/><text x="{x}" y="{ty}" font-size="10" text-anchor="end">{max}</text>"##,
        y = H - BOTTOM,
        x = LEFT - 4.0,
        ty = TOP + 4.0,
        max = max as i64
    ));
    for (i, p) in points.iter().enumerate() {
        let x = LEFT + slot * i as f64 + (slot - bar) / 2.0;
        let mut y = H - BOTTOM;
        let vals = [
            p.counts.new,
            p.counts.amended,
            p.counts.replaced,
            p.counts.abolished,
        ];
        for (k, v) in vals.iter().enumerate() {
            if *v == 0 {
                continue;
            }
            let h = *v as f64 * scale;
            y -= h;
            s.push_str(&format!(
                r#"<rect x="{x:.1}" y="{y:.1}" width="{bar:.1}" height="{h:.1}" fill="{}"><title>{} {}: {}</title></rect>"#,
                colors[k],
                esc(&p.month),
                names[k],
                v
            ));
        }
        let label = p.month.get(5..).unwrap_or(&p.month);
        s.push_str(&format!(
            r#"<text x="{:.1}" y="{:.1}" font-size="10" text-anchor="middle">{}</text>"#,
            x + bar / 2.0,
            H - BOTTOM + 14.0,
            esc(label)
        ));
    }
    for (k, name) in names.iter().enumerate() {
        let x = LEFT + 140.0 * k as f64;
        s.push_str(&format!(
            r#"<rect x="{x}" y="{y}" width="10" height="10" fill="{}"/><text x="{tx}" y="{ty}" font-size="10">{}</text>"#,
            colors[k],
            name,
            y = H - 14.0,
            tx = x + 14.0,
            ty = H - 5.0
        ));
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Counts;

    #[test]
    fn the_chart_has_an_accessible_name_description_and_bar_titles() {
        let pts = vec![TrendPoint {
            month: "2025-03".into(),
            counts: Counts {
                new: 2,
                amended: 1,
                ..Default::default()
            },
        }];
        let s = trend_bars(&pts, "Số TTHC <theo tháng>", "c1");
        assert!(s.starts_with("<svg"));
        assert!(s.contains(r#"aria-labelledby="c1-t c1-d""#));
        assert!(s.contains("Số TTHC &lt;theo tháng&gt;"));
        assert!(s.contains("2025-03: 2 mới, 1 sửa đổi, 0 thay thế, 0 bãi bỏ"));
        assert!(s.contains("<title>2025-03 Mới ban hành: 2</title>"));
    }
}
