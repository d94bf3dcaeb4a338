//! Writers of thutuc's own formats (JSON Lines, CSV, XLSX). Every writer streams: records
//! are fetched from the store one at a time (see [`crate::source`]) and written at once.
//! Output is deterministic: same catalogue, same bytes (records sorted by code, fields in a
//! fixed order, XLSX with a fixed creation date), which is what the round-trip test checks.

use std::io::{Seek, SeekFrom, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
use thutuc_import::own::{
    COLUMNS, CONTINUATION_HEADER, OwnRecord, SHEET, split_for_xlsx, to_cells,
};
use thutuc_store::ProcedureStore;

use crate::ExportError;
use crate::source::{ExportFilter, RecordSource};

/// Export formats of the `thutuc export` command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// JSON Lines of [`OwnRecord`].
    Json,
    /// CSV with the [`COLUMNS`] header.
    Csv,
    /// XLSX, sheet `TTHC`.
    Xlsx,
    /// CPSV-AP 3.2.0 JSON-LD.
    CpsvJsonld,
}

impl ExportFormat {
    /// All formats.
    pub const ALL: [ExportFormat; 4] = [
        ExportFormat::Json,
        ExportFormat::Csv,
        ExportFormat::Xlsx,
        ExportFormat::CpsvJsonld,
    ];
    /// Parses the command-line name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s.trim())
    }
    /// The command-line name.
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Json => "json",
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::CpsvJsonld => "cpsv-jsonld",
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportStats {
    /// Records written.
    pub records: usize,
}

fn cells(rec: &OwnRecord) -> Result<Vec<String>, ExportError> {
    to_cells(rec).map_err(|e| ExportError::Record {
        code: rec.code.to_string(),
        reason: e.reason,
    })
}

/// JSON Lines writer: one record per line.
pub struct JsonSink<W: Write> {
    w: W,
}

impl<W: Write> JsonSink<W> {
    /// Wraps a writer.
    pub fn new(w: W) -> Self {
        Self { w }
    }
    /// Writes one record.
    pub fn write(&mut self, rec: &OwnRecord) -> Result<(), ExportError> {
        serde_json::to_writer(&mut self.w, rec)?;
        self.w.write_all(b"\n")?;
        Ok(())
    }
    /// Flushes and returns the writer.
    pub fn finish(mut self) -> Result<W, ExportError> {
        self.w.flush()?;
        Ok(self.w)
    }
}

/// CSV writer: UTF-8 with a byte-order mark (so that Excel shows Vietnamese correctly),
/// a header row of column keys, one row per record.
pub struct CsvSink<W: Write> {
    w: csv::Writer<W>,
}

impl<W: Write> CsvSink<W> {
    /// Writes the byte-order mark and the header.
    pub fn new(mut w: W) -> Result<Self, ExportError> {
        w.write_all("\u{feff}".as_bytes())?;
        let mut w = csv::Writer::from_writer(w);
        w.write_record(COLUMNS.iter().map(|c| c.key))?;
        Ok(Self { w })
    }
    /// Writes one record.
    pub fn write(&mut self, rec: &OwnRecord) -> Result<(), ExportError> {
        self.w.write_record(cells(rec)?)?;
        Ok(())
    }
    /// Flushes and returns the writer.
    pub fn finish(self) -> Result<W, ExportError> {
        self.w
            .into_inner()
            .map_err(|e| ExportError::Io(std::io::Error::other(e.to_string())))
    }
}

/// XLSX writer in rust_xlsxwriter's constant-memory mode: each finished row goes to a
/// temporary file, so memory stays flat however many records there are. The workbook lives
/// on its own thread (rows arrive through a bounded channel), so XML writing and zip
/// compression run in parallel with reading the store.
pub struct XlsxSink {
    tx: Option<SyncSender<Vec<String>>>,
    worker: Option<JoinHandle<Result<std::fs::File, ExportError>>>,
}

fn xlsx_worker(rows: Receiver<Vec<String>>) -> Result<std::fs::File, ExportError> {
    let mut wb = Workbook::new();
    let fixed = ExcelDateTime::from_ymd(2025, 7, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title("Danh mục thủ tục hành chính")
            .set_creation_datetime(&fixed),
    );
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet_with_constant_memory();
    ws.set_name(SHEET)?;
    ws.set_freeze_panes(1, 1)?;
    for (i, c) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, c.key, &bold)?;
    }
    ws.write_string_with_format(0, COLUMNS.len() as u16, CONTINUATION_HEADER, &bold)?;
    for (row, cells) in (1..).zip(rows) {
        for (i, c) in cells.iter().enumerate() {
            if !c.is_empty() {
                ws.write_string(row, i as u16, c)?;
            }
        }
    }
    let mut tmp = tempfile::tempfile()?;
    wb.save_to_writer(&mut tmp)?;
    tmp.seek(SeekFrom::Start(0))?;
    Ok(tmp)
}

impl XlsxSink {
    /// Starts the workbook thread (sheet `TTHC` with its header row).
    pub fn new() -> Result<Self, ExportError> {
        let (tx, rx) = sync_channel(256);
        let worker = std::thread::Builder::new()
            .name("xlsx-export".into())
            .spawn(move || xlsx_worker(rx))?;
        Ok(Self {
            tx: Some(tx),
            worker: Some(worker),
        })
    }

    /// Writes one record (over-long cells continue after the fixed columns).
    pub fn write(&mut self, rec: &OwnRecord) -> Result<(), ExportError> {
        let mut cells = cells(rec)?;
        let extra = split_for_xlsx(&mut cells);
        cells.extend(extra);
        let sent = self.tx.as_ref().is_some_and(|tx| tx.send(cells).is_ok());
        if sent {
            Ok(())
        } else {
            // The worker stopped early: its error says why.
            Err(self.join().err().unwrap_or_else(|| {
                ExportError::Xlsx("luồng ghi xlsx đã dừng / xlsx writer stopped".into())
            }))
        }
    }

    fn join(&mut self) -> Result<std::fs::File, ExportError> {
        self.tx = None;
        match self.worker.take().map(JoinHandle::join) {
            Some(Ok(r)) => r,
            Some(Err(_)) => Err(ExportError::Xlsx(
                "luồng ghi xlsx bị lỗi / xlsx writer panicked".into(),
            )),
            None => Err(ExportError::Xlsx("đã kết thúc / already finished".into())),
        }
    }

    /// Saves the workbook (through a temporary file: the zip writer needs to seek) and
    /// copies it to `w`.
    pub fn finish<W: Write>(mut self, mut w: W) -> Result<W, ExportError> {
        let mut tmp = self.join()?;
        std::io::copy(&mut tmp, &mut w)?;
        w.flush()?;
        Ok(w)
    }
}

/// Exports the matching procedures as JSON Lines.
pub async fn export_json<S: ProcedureStore + ?Sized, W: Write>(
    store: &S,
    filter: &ExportFilter,
    w: W,
) -> Result<ExportStats, ExportError> {
    let mut src = RecordSource::open(store, filter).await?;
    let mut sink = JsonSink::new(w);
    let mut stats = ExportStats::default();
    while let Some(r) = src.next().await? {
        sink.write(&r.to_own())?;
        stats.records += 1;
    }
    sink.finish()?;
    Ok(stats)
}

/// Exports the matching procedures as CSV.
pub async fn export_csv<S: ProcedureStore + ?Sized, W: Write>(
    store: &S,
    filter: &ExportFilter,
    w: W,
) -> Result<ExportStats, ExportError> {
    let mut src = RecordSource::open(store, filter).await?;
    let mut sink = CsvSink::new(w)?;
    let mut stats = ExportStats::default();
    while let Some(r) = src.next().await? {
        sink.write(&r.to_own())?;
        stats.records += 1;
    }
    sink.finish()?;
    Ok(stats)
}

/// Exports the matching procedures as XLSX.
pub async fn export_xlsx<S: ProcedureStore + ?Sized, W: Write>(
    store: &S,
    filter: &ExportFilter,
    w: W,
) -> Result<ExportStats, ExportError> {
    let mut src = RecordSource::open(store, filter).await?;
    let mut sink = XlsxSink::new()?;
    let mut stats = ExportStats::default();
    while let Some(r) = src.next().await? {
        sink.write(&r.to_own())?;
        stats.records += 1;
    }
    sink.finish(w)?;
    Ok(stats)
}

/// Exports in any own format (CPSV-AP goes through [`crate::cpsv::export_cpsv`], which
/// this also dispatches to with default options).
pub async fn export_own<S: ProcedureStore + thutuc_store::OrgStore + ?Sized, W: Write>(
    store: &S,
    format: ExportFormat,
    filter: &ExportFilter,
    w: W,
) -> Result<ExportStats, ExportError> {
    match format {
        ExportFormat::Json => export_json(store, filter, w).await,
        ExportFormat::Csv => export_csv(store, filter, w).await,
        ExportFormat::Xlsx => export_xlsx(store, filter, w).await,
        ExportFormat::CpsvJsonld => {
            crate::cpsv::export_cpsv(store, filter, &crate::cpsv::CpsvOptions::default(), w).await
        }
    }
}
