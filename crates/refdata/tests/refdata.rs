//! Tests of the embedded organisation reference data and of name matching, against the real
//! files under `data/admin-units/` and the crate's own CSVs.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use chrono::NaiveDate;
use thutuc_domain::org::{OrgKind, Organisation, Sector};
use thutuc_refdata::{
    OrgIndex, RefData, default_sectors, issuer_from_decision_number, match_org, organisations,
};

/// Built once for the whole test binary.
fn data() -> &'static RefData {
    static DATA: OnceLock<RefData> = OnceLock::new();
    DATA.get_or_init(|| organisations().expect("embedded reference data builds"))
}

fn org(id: &str) -> &'static Organisation {
    data()
        .orgs
        .iter()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("no org {id}"))
}

fn count(kind: OrgKind, current: bool) -> usize {
    data()
        .orgs
        .iter()
        .filter(|o| o.kind == kind && o.valid_to.is_none() == current)
        .count()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

#[test]
fn there_are_34_provinces_and_3321_communes_in_force_since_july_2025() {
    assert_eq!(count(OrgKind::Province, true), 34);
    assert_eq!(count(OrgKind::Commune, true), 3321);
    let reform = date(2025, 7, 1);
    for o in data()
        .orgs
        .iter()
        .filter(|o| o.id.starts_with('P') || o.id.starts_with('W'))
    {
        assert_eq!(o.valid_from, Some(reform), "{}", o.id);
        assert!(
            o.in_force_on(reform) && !o.in_force_on(date(2025, 6, 30)),
            "{}",
            o.id
        );
    }
}

#[test]
fn there_are_63_legacy_provinces_696_districts_and_10035_old_communes() {
    assert_eq!(count(OrgKind::Province, false), 63);
    assert_eq!(count(OrgKind::District, false), 696);
    assert_eq!(count(OrgKind::District, true), 0);
    // 10,040 rows minus the 5 island districts that have no commune.
    assert_eq!(count(OrgKind::Commune, false), 10_035);
    for o in data().orgs.iter().filter(|o| o.id.starts_with('L')) {
        assert_eq!(o.valid_to, Some(date(2025, 6, 30)), "{}", o.id);
    }
}

#[test]
fn every_parent_exists_and_precedes_its_child_and_ids_are_unique() {
    let mut seen = HashSet::new();
    let orgs = &data().orgs;
    assert_eq!(orgs[0].id, "CP");
    assert_eq!(orgs[0].kind, OrgKind::Government);
    for o in orgs {
        if let Some(p) = &o.parent {
            assert!(
                seen.contains(p.as_str()),
                "{} has parent {p} not before it",
                o.id
            );
        } else {
            assert_eq!(o.id, "CP", "only the Government has no parent");
        }
        assert!(seen.insert(o.id.as_str()), "duplicate id {}", o.id);
    }
}

#[test]
fn legacy_and_current_units_with_the_same_code_keep_different_ids() {
    assert_eq!(org("W00004").name, "Phường Ba Đình");
    assert_eq!(org("LW00004").name, "Phường Trúc Bạch");
    assert_eq!(org("LW00004").parent.as_deref(), Some("LD001"));
    assert_eq!(org("LD001").parent.as_deref(), Some("LP01"));
    assert_eq!(org("LW00004").admin_code, org("W00004").admin_code);
}

#[test]
fn ha_noi_is_p01_and_phuong_ba_dinh_is_w00004() {
    let hn = org("P01");
    assert_eq!(
        (
            hn.name.as_str(),
            hn.admin_code.as_deref(),
            hn.parent.as_deref()
        ),
        ("Thành phố Hà Nội", Some("01"), Some("CP"))
    );
    let bd = org("W00004");
    assert_eq!(
        (bd.kind, bd.admin_code.as_deref(), bd.parent.as_deref()),
        (OrgKind::Commune, Some("00004"), Some("P01"))
    );
}

#[test]
fn central_bodies_follow_the_march_2025_restructuring() {
    assert_eq!(org("BCA").eid.as_deref(), Some("000.00.00.G01"));
    assert_eq!(org("BCT").eid.as_deref(), Some("000.00.00.G02"));
    let with_eid: Vec<&str> = data()
        .orgs
        .iter()
        .filter(|o| o.eid.is_some())
        .map(|o| o.id.as_str())
        .collect();
    assert_eq!(with_eid, ["BCA", "BCT"], "no eid is guessed");
    assert_eq!(org("NHNN").kind, OrgKind::MinistryLevel);
    let bhxh = org("BHXH");
    assert_eq!(
        (bhxh.kind, bhxh.parent.as_deref(), bhxh.valid_from),
        (OrgKind::Unit, Some("BTC"), Some(date(2025, 3, 1)))
    );
    let current_ministries = data()
        .orgs
        .iter()
        .filter(|o| o.kind == OrgKind::Ministry && o.valid_to.is_none())
        .count();
    assert_eq!(current_ministries, 14);
    let old = org("BTNMT");
    assert!(old.in_force_on(date(2025, 2, 28)) && !old.in_force_on(date(2025, 3, 1)));
    let succ = |old: &str| -> Vec<(&str, bool)> {
        data()
            .successions
            .iter()
            .filter(|s| s.old == old)
            .map(|s| (s.new.as_str(), s.partial))
            .collect()
    };
    assert_eq!(succ("BKHĐT"), [("BTC", false)]);
    assert_eq!(
        succ("BLĐTBXH"),
        [("BNV", true), ("BGDĐT", true), ("BYT", true)]
    );
    assert_eq!(succ("BNNPTNT"), [("BNNMT", false)]);
    assert_eq!(succ("UBDT"), [("BDTTG", false)]);
    assert!(
        data()
            .successions
            .iter()
            .filter(|s| s.old == "BGTVT")
            .all(|s| s.effective == date(2025, 3, 1))
    );
}

#[test]
fn every_converter_key_resolves_to_a_unit() {
    let unresolved = &data().unresolved_keys;
    println!(
        "unresolved converter keys: {} {unresolved:?}",
        unresolved.len()
    );
    assert_eq!(unresolved.len(), 0);
}

#[test]
fn tinh_ha_giang_is_succeeded_by_tuyen_quang() {
    assert_eq!(org("LP02").name, "Tỉnh Hà Giang");
    let to: Vec<_> = data()
        .successions
        .iter()
        .filter(|s| s.old == "LP02")
        .collect();
    assert_eq!(to.len(), 1);
    assert_eq!(
        (to[0].new.as_str(), to[0].partial, to[0].effective),
        ("P08", false, date(2025, 7, 1))
    );
    assert_eq!(org("P08").name, "Tỉnh Tuyên Quang");
}

#[test]
fn every_old_unit_has_a_successor_and_split_communes_are_partial() {
    let mut by_old: HashMap<&str, Vec<bool>> = HashMap::new();
    for s in data()
        .successions
        .iter()
        .filter(|s| s.effective == date(2025, 7, 1))
    {
        by_old.entry(s.old.as_str()).or_default().push(s.partial);
    }
    let old_units = data()
        .orgs
        .iter()
        .filter(|o| o.kind != OrgKind::District && o.id.starts_with('L'));
    for o in old_units {
        assert!(
            by_old.contains_key(o.id.as_str()),
            "{} has no successor",
            o.id
        );
    }
    let split = by_old.values().filter(|p| p.len() > 1).count();
    assert_eq!(split, 471, "old wards split between new wards");
    assert!(
        by_old
            .values()
            .all(|p| p.len() == 1 && !p[0] || p.len() > 1 && p.iter().all(|x| *x))
    );
    // Island districts without communes became special zones (đặc khu).
    let con_dao: Vec<_> = data()
        .successions
        .iter()
        .filter(|s| org(&s.old).name == "Huyện Côn Đảo")
        .collect();
    assert_eq!(con_dao.len(), 1);
    assert_eq!(org(&con_dao[0].new).name, "Đặc khu Côn Đảo");
}

#[test]
fn match_org_finds_units_by_id_code_and_name_with_or_without_prefixes() {
    let d = data();
    let idx = d.index();
    let id = |q: &str| match_org(&idx, q).map(|o| o.id.as_str());
    assert_eq!(id("P01"), Some("P01"));
    assert_eq!(
        id("01"),
        Some("P01"),
        "current unit before the legacy one with the same code"
    );
    assert_eq!(id("00004"), Some("W00004"));
    assert_eq!(id("000.00.00.G02"), Some("BCT"));
    for q in [
        "Hà Nội",
        "ha noi",
        "Thành phố Hà Nội",
        "TP. Hà Nội",
        "UBND thành phố Hà Nội",
        "Ủy ban nhân dân Thành phố Hà Nội",
    ] {
        assert_eq!(id(q), Some("P01"), "{q}");
    }
    for q in [
        "Tỉnh Tuyên Quang",
        "UBND tỉnh Tuyên Quang",
        "Ủy ban nhân dân tỉnh Tuyên Quang",
        "TUYEN QUANG",
    ] {
        assert_eq!(id(q), Some("P08"), "{q}");
    }
    assert_eq!(id("Phường Ba Đình"), Some("W00004"));
    for q in [
        "TP.HCM",
        "TP. Hồ Chí Minh",
        "Thành phố Hồ Chí Minh",
        "UBND TP.HCM",
    ] {
        assert_eq!(id(q), Some("P79"), "{q}");
    }
    assert_eq!(
        id("Tỉnh Hà Giang"),
        Some("LP02"),
        "a historic unit is found as itself"
    );
    assert_eq!(id("Xã Tân Phú"), None, "ambiguous between provinces");
    assert_eq!(id("Không có thông tin"), None);
    assert_eq!(id(""), None);
}

#[test]
fn match_org_finds_ministries_by_name_and_abbreviation() {
    let d = data();
    let idx = d.index();
    let id = |q: &str| match_org(&idx, q).map(|o| o.id.as_str());
    for (q, want) in [
        ("Bộ Tư pháp", "BTP"),
        ("BTP", "BTP"),
        ("bộ tư pháp", "BTP"),
        ("Ngân hàng Nhà nước Việt Nam", "NHNN"),
        ("Ngân hàng Nhà nước", "NHNN"),
        ("NHNN", "NHNN"),
        ("Bộ Giáo dục và Đào tạo", "BGDĐT"),
        ("BGDDT", "BGDĐT"),
        ("Bảo hiểm xã hội Việt Nam", "BHXH"),
        ("Bộ Lao động - Thương binh và Xã hội", "BLĐTBXH"),
    ] {
        assert_eq!(id(q), Some(want), "{q}");
    }
}

#[test]
fn match_current_maps_old_units_and_ministries_to_their_successors() {
    let d = data();
    let idx = d.index();
    let cur = |q: &str| idx.match_current(q).map(|o| o.id.as_str());
    assert_eq!(cur("Tỉnh Hà Giang"), Some("P08"));
    assert_eq!(cur("UBND tỉnh Hà Giang"), Some("P08"));
    assert_eq!(cur("Tỉnh Tuyên Quang"), Some("P08"));
    assert_eq!(cur("Bộ Tài nguyên và Môi trường"), Some("BNNMT"));
    assert_eq!(
        cur("BLĐTBXH"),
        Some("BNV"),
        "main successor of a partial split"
    );
    assert_eq!(
        cur("LW00004"),
        Some("W00004"),
        "Trúc Bạch merged into Ba Đình"
    );
    let without = OrgIndex::new(&d.orgs);
    assert_eq!(
        without.match_current("Tỉnh Hà Giang"),
        None,
        "no successions indexed"
    );
}

#[test]
fn decision_numbers_name_their_issuer() {
    let d = data();
    let idx = d.index();
    let id = |q: &str| issuer_from_decision_number(&idx, q).map(|o| o.id.as_str());
    assert_eq!(id("163/QĐ-BTP"), Some("BTP"));
    assert_eq!(id("Quyết định số 6225/QĐ-BQP"), Some("BQP"));
    assert_eq!(id("1234/QĐ-NHNN ngày 12/3/2025"), Some("NHNN"));
    assert_eq!(id("09/2025/QĐ-TTg"), Some("CP"));
    assert_eq!(id("15/2024/TT-BGDĐT"), Some("BGDĐT"));
    assert_eq!(id("1766/QĐ-UBND"), None);
    assert_eq!(id("không có"), None);
}

#[test]
fn sectors_include_ho_tich_owned_by_btp() {
    let sectors = default_sectors();
    assert_eq!(sectors, data().sectors);
    assert_eq!(sectors.len(), 48, "29 from BTP and NHNN pages, 19 from BQP");
    let ho_tich = sectors
        .iter()
        .find(|s| s.name == "Hộ tịch")
        .expect("Hộ tịch");
    assert_eq!(
        (ho_tich.id.as_str(), ho_tich.owner_org.as_deref()),
        ("ho-tich", Some("BTP"))
    );
    let owners: HashSet<_> = sectors
        .iter()
        .filter_map(|s| s.owner_org.as_deref())
        .collect();
    assert_eq!(owners, HashSet::from(["BTP", "NHNN", "BQP"]));
}

#[test]
fn sector_ids_are_those_the_domain_derives_and_are_unique() {
    let mut ids = HashSet::new();
    for s in default_sectors() {
        assert_eq!(s.id, Sector::id_for(&s.name), "{}", s.name);
        assert!(ids.insert(s.id.clone()), "duplicate {}", s.id);
    }
}
