//! Round trips of the draft editor's form.
use super::*;

fn sample() -> ProcedureContent {
    serde_json::from_value(serde_json::json!({
        "name": "Đăng ký khai sinh",
        "sector": "Hộ tịch",
        "steps": [{"title": "", "description": "Nộp hồ sơ"}, {"title": "", "description": "Nhận kết quả"}],
        "channels": [{"method": "direct", "time": {"value": 3.0, "unit": "working_day"},
                      "fees": [{"amount": 8000, "currency": "VND", "description": "lệ phí"}, {"amount": 2000, "currency": "VND"}],
                      "description": "Tại UBND xã"}],
        "dossier": [{"name": "", "components": [{"name": "Tờ khai", "templates": ["TK.docx"], "originals": 1, "copies": 0, "code": "X1"}]}],
        "legal_bases": [{"number": "123/2015/NĐ-CP", "title": "Nghị định"}]
    }))
    .expect("content")
}

fn encode(f: &DraftForm, extra: &[(&str, &str)]) -> Vec<u8> {
    let mut s = form_urlencoded::Serializer::new(String::new());
    s.append_pair("rev", &f.rev.to_string())
        .append_pair("name", &f.name)
        .append_pair("sector", &f.sector);
    for r in &f.steps {
        s.append_pair("step.key", &r.key)
            .append_pair("step.title", &r.title)
            .append_pair("step.text", &r.text);
    }
    for r in &f.channels {
        s.append_pair("ch.key", &r.key)
            .append_pair("ch.method", &r.method)
            .append_pair("ch.time", &r.time_value)
            .append_pair("ch.unit", &r.time_unit)
            .append_pair("ch.fee", &r.fee_amount)
            .append_pair("ch.fee_text", &r.fee_text);
    }
    for r in &f.docs {
        s.append_pair("doc.key", &r.key)
            .append_pair("doc.case", &r.case)
            .append_pair("doc.name", &r.name)
            .append_pair("doc.templates", &r.templates)
            .append_pair("doc.originals", &r.originals)
            .append_pair("doc.copies", &r.copies);
        if r.required {
            s.append_pair("doc.required", &r.key);
        }
    }
    for r in &f.legal {
        s.append_pair("legal.key", &r.key)
            .append_pair("legal.number", &r.number)
            .append_pair("legal.title", &r.title);
    }
    for (k, v) in extra {
        s.append_pair(k, v);
    }
    s.finish().into_bytes()
}

#[test]
fn an_untouched_form_gives_back_the_same_content() {
    let c = sample();
    let f = DraftForm::from_content(&c, 4);
    let back = DraftForm::parse(&encode(&f, &[]))
        .to_content(&c)
        .expect("valid");
    let mut expected = c.clone();
    expected.normalise();
    assert_eq!(back, expected);
}

#[test]
fn editing_time_and_fee_keeps_the_other_fees_and_the_description() {
    let c = sample();
    let mut f = DraftForm::from_content(&c, 1);
    f.channels[0].time_value = "2".into();
    f.channels[0].fee_amount = "10.000".into();
    let back = DraftForm::parse(&encode(&f, &[]))
        .to_content(&c)
        .expect("valid");
    let ch = &back.channels[0];
    assert_eq!(ch.time.as_ref().map(|t| t.value), Some(2.0));
    assert_eq!(
        ch.fees.iter().map(|f| f.amount).collect::<Vec<_>>(),
        vec![Some(10_000), Some(2000)]
    );
    assert_eq!(ch.description, "Tại UBND xã");
}

#[test]
fn removing_a_row_by_key_keeps_the_others_in_place() {
    let c = sample();
    let f = DraftForm::from_content(&c, 1);
    let back = DraftForm::parse(&encode(&f, &[("del", "o0")]))
        .to_content(&c)
        .expect("valid");
    assert_eq!(back.steps.len(), 1);
    assert_eq!(back.steps[0].description, "Nhận kết quả");
}

#[test]
fn bad_numbers_are_reported_by_row_in_vietnamese() {
    let c = sample();
    let mut f = DraftForm::from_content(&c, 1);
    f.channels[0].time_value = "năm".into();
    f.docs[0].copies = "hai".into();
    let errs = DraftForm::parse(&encode(&f, &[]))
        .to_content(&c)
        .expect_err("invalid");
    assert_eq!(errs.len(), 2);
    assert!(errs[0].contains("dòng 1"));
}
