//! Measures how long building the reference data and its index takes.
//! Run with `cargo run --release -p thutuc-refdata --example load_time`.

use std::time::Instant;

fn main() -> Result<(), thutuc_refdata::RefError> {
    let mut best = f64::MAX;
    for _ in 0..5 {
        let start = Instant::now();
        let data = thutuc_refdata::organisations()?;
        let built = start.elapsed();
        let idx = data.index();
        let indexed = start.elapsed();
        best = best.min(built.as_secs_f64());
        println!(
            "organisations(): {:.1} ms ({} orgs, {} successions, {} sectors); + index: {:.1} ms; found BTP: {}",
            built.as_secs_f64() * 1e3,
            data.orgs.len(),
            data.successions.len(),
            data.sectors.len(),
            indexed.as_secs_f64() * 1e3,
            idx.find("BTP").is_some(),
        );
    }
    println!("best organisations(): {:.1} ms", best * 1e3);
    Ok(())
}
