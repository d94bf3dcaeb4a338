//! Failure modes: truncated gzip, header-less spreadsheets, malformed lines.

use std::io::Write;

use thutuc_import::{ImportError, open, read_csdl_xlsx, read_portal_pages};

#[test]
fn a_truncated_gzip_yields_a_clear_error_naming_the_file() {
    let bytes = std::fs::read("/work/main/data/tthc/portal-pages.jsonl.gz").expect("read");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("cut.jsonl.gz");
    std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(&bytes[..bytes.len() / 2]))
        .expect("write");
    let out: Vec<_> = read_portal_pages(open(&path).expect("open")).collect();
    let last = out
        .last()
        .expect("some output")
        .as_ref()
        .expect_err("must end in an error");
    assert_eq!(last.field, "file");
    assert!(last.reason.contains("cut.jsonl.gz"), "{}", last.reason);
    assert!(last.reason.contains("truncated gzip"), "{}", last.reason);
    assert!(out.iter().filter(|r| r.is_ok()).count() > 100);
}

#[test]
fn a_missing_file_is_an_error_naming_it() {
    let err = open("/nonexistent/x.jsonl.gz").err().expect("error");
    assert!(err.to_string().contains("/nonexistent/x.jsonl.gz"));
}

#[test]
fn an_xlsx_without_a_header_row_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("no-header.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Danh sách TTHC").expect("name");
    ws.write_string(0, 0, "DANH SÁCH THỦ TỤC HÀNH CHÍNH")
        .expect("write");
    ws.write_string(1, 0, "1.000080").expect("write");
    ws.write_string(1, 1, "Thủ tục").expect("write");
    wb.save(&path).expect("save");
    match read_csdl_xlsx(&path) {
        Err(e @ ImportError::MissingHeader { .. }) => {
            let msg = e.to_string();
            assert!(
                msg.contains("no-header.xlsx") && msg.contains("Mã số | Tên | Cơ quan ban hành"),
                "{msg}"
            );
        }
        other => panic!("expected MissingHeader, got {other:?}"),
    }
}

#[test]
fn xlsx_rejections_carry_the_cell_reference() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bad-code.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Danh sách TTHC").expect("name");
    ws.write_string(0, 0, "DANH SÁCH").expect("write");
    for (i, h) in [
        "Mã số",
        "Tên",
        "Cơ quan ban hành",
        "Cơ quan thực hiện",
        "Lĩnh vực",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(1, i as u16, *h).expect("write");
    }
    ws.write_string(2, 0, "1.000080").expect("write");
    ws.write_string(3, 0, "1.0008").expect("write");
    ws.write_string(4, 0, "1.000080").expect("write");
    wb.save(&path).expect("save");
    let out = read_csdl_xlsx(&path).expect("read");
    assert!(out[0].is_ok());
    let bad = out[1].as_ref().expect_err("malformed");
    assert_eq!((bad.line, bad.column.as_deref()), (4, Some("A4")));
    let dup = out[2].as_ref().expect_err("duplicate");
    assert!(dup.reason.contains("mã trùng với dòng 3"), "{}", dup.reason);
}
