//! Property tests: the flattened-table and cell parsers never panic, on arbitrary strings
//! and on mutations of real cells (truncations at every char boundary, spliced fragments).

use proptest::prelude::*;
use thutuc_import::{cells, tables};

const REAL: [&str; 8] = [
    "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến10 Ngày làm việc500,000 Việt Nam Đồng(/lần)Dịch vụ bưu chính5 Ngày làm việcMiễn phí",
    "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếpKhông có thông tin10 USD(/bản)Tại cơ quan đại diện: 10 USD/bản.",
    "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến7Miễn phí(Đồng (Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh quyết định.))Trực tiếp1250 VNĐ",
    "--Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn đề nghịMẫu TP-LS-05-sđ.docx1 bản chínhBản sao0 bản chính,1 bản sao",
    "* Giấy tờ phải xuất trình:Tên giấy tờMẫu đơn, tờ khaiSố lượngHộ chiếu1 bản chính* Lưu ý:Tên giấy tờ",
    "Tên văn bản pháp lýMã văn bảnLuật 65/2006/QH1165/2006/QH11Luật Giám định tư pháp năm 201213/2012/QH13Quyết định 1/QĐ-TTgNghị",
    "Trích lục đăng ký nhận cha, mẹ, conMã: KQ.G15.000033Từ khóaKhông có thông tin",
    "Phí : Mức thu bằng 50% Đồng (Thông tư)\nFile đính kèm: 1-btc.pdf\nLệ phí : 10 USD (Lệ phí: 10 USD/Giấy phép)",
];

fn run_all(s: &str) {
    let _ = tables::parse_channels(s);
    let _ = tables::parse_dossier(s);
    let _ = tables::parse_legal_bases(s);
    let _ = tables::parse_results(s);
    let _ = cells::parse_time_cell(s);
    let _ = cells::parse_fee_cell(s);
    let _ = cells::scan_fee(s);
    let _ = cells::scan_time(s);
    let _ = cells::parse_counts(s);
    let _ = cells::split_file_names(s);
    let _ = tables::dossier::split_templates(s);
}

#[test]
fn every_prefix_and_suffix_of_real_cells_parses_without_panic() {
    for cell in REAL {
        for (i, _) in cell.char_indices() {
            run_all(&cell[..i]);
            run_all(&cell[i..]);
        }
    }
}

proptest! {
    #[test]
    fn arbitrary_strings_never_panic(s in "\\PC{0,200}") {
        run_all(&s);
    }

    #[test]
    fn spliced_real_fragments_never_panic(a in 0usize..8, b in 0usize..8, cut_a in 0usize..400, cut_b in 0usize..400, noise in "[0-9./,:()\\- ĐđVNUSDàáạMiễnphí]{0,12}") {
        let (x, y) = (REAL[a], REAL[b]);
        let ca = x.char_indices().map(|(i, _)| i).nth(cut_a % x.chars().count()).unwrap_or(0);
        let cb = y.char_indices().map(|(i, _)| i).nth(cut_b % y.chars().count()).unwrap_or(0);
        let s = format!("{}{noise}{}", &x[..ca], &y[cb..]);
        run_all(&s);
    }
}
