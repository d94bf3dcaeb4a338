//! Fuzz target: the portal's flattened-table and cell parsers must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use thutuc_import::{cells, tables};

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = tables::parse_channels(s);
        let _ = tables::parse_dossier(s);
        let _ = tables::parse_legal_bases(s);
        let _ = tables::parse_results(s);
        let _ = cells::parse_time_cell(s);
        let _ = cells::parse_fee_cell(s);
        let _ = cells::parse_counts(s);
        let _ = cells::split_file_names(s);
    }
});
