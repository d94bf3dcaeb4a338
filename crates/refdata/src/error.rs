//! Errors of the reference-data loader (domain tier: a `thiserror` enum, no I/O types leak out
//! beyond the parsers that produced them).

/// Why the embedded reference data could not be built.
#[derive(Debug, thiserror::Error)]
pub enum RefError {
    /// A CSV file (possibly gzipped) could not be read.
    #[error("{file}: {source}")]
    Csv {
        /// Embedded file name.
        file: &'static str,
        /// Parser error.
        #[source]
        source: csv::Error,
    },
    /// The converter JSON could not be parsed.
    #[error("{file}: {source}")]
    Json {
        /// Embedded file name.
        file: &'static str,
        /// Parser error.
        #[source]
        source: serde_json::Error,
    },
    /// The data parsed but is inconsistent (bad date, unknown kind, orphan parent …).
    #[error("reference data: {0}")]
    Data(String),
}
