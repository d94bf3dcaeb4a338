//! Developer aid: prints parse problems of the real portal pages (run with --ignored --nocapture).
use thutuc_import::{open, parse_quality, read_portal_pages};

#[test]
#[ignore]
fn dump_portal_problems() {
    let recs: Vec<_> =
        read_portal_pages(open("/work/main/data/tthc/portal-pages.jsonl.gz").expect("open"))
            .collect();
    let ok: Vec<_> = recs.iter().filter_map(|r| r.as_ref().ok()).collect();
    for r in recs.iter().filter_map(|r| r.as_ref().err()) {
        println!("REJ {r}");
    }
    for r in &ok {
        for p in &r.problems {
            if std::env::var("ALL").is_ok() || !p.message.starts_with("unit-unknown") {
                println!(
                    "{} {} {} || {}",
                    r.code,
                    p.field,
                    p.message,
                    p.original.chars().take(250).collect::<String>()
                );
            }
        }
    }
    println!("{:#?}", parse_quality(ok.iter().copied()));
}

#[test]
#[ignore]
fn dump_one() {
    let code = std::env::var("CODE").unwrap_or_default();
    for r in read_portal_pages(open("/work/main/data/tthc/portal-pages.jsonl.gz").expect("open"))
        .flatten()
    {
        if r.code.as_str() == code {
            let mut c = r.content.clone();
            c.source_text.clear();
            c.steps.truncate(2);
            println!("{c:#?}\n{:#?}", r.problems);
        }
    }
}

#[test]
#[ignore]
fn dump_structured_problems() {
    let recs: Vec<_> = thutuc_import::read_structured(
        open("/work/main/data/tthc/bqp-structured.jsonl.gz").expect("open"),
    )
    .collect();
    let ok: Vec<_> = recs.iter().filter_map(|r| r.as_ref().ok()).collect();
    for r in &ok {
        for p in &r.problems {
            println!(
                "{} {} {} || {}",
                r.code,
                p.field,
                p.message,
                p.original.chars().take(150).collect::<String>()
            );
        }
    }
    println!("{:#?}", parse_quality(ok.iter().copied()));
}
