//! Folded search (`--query`, the desk's filter, the server's `q`): diacritics, case and tone
//! placement aside, the query must start a word of the text or its address.

use chrono::{DateTime, TimeZone, Utc};
use iocdesk::domain::query::{CaseFilter, MAX_PAGE, ReportFilter};
use iocdesk::domain::{Actor, Command, NewReport, Role};
use iocdesk::store::{Store, StoreConfig};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 16, 2, 0, 0)
        .single()
        .expect("valid time")
}

/// A store holding one report per text, `R0000001` on, in order.
fn store_of(texts: &[(&str, Option<&str>)]) -> Store {
    let mut s = Store::open_in_memory(StoreConfig::default()).expect("store");
    let officer = Actor::new("ioc.lan", Role::Officer);
    for (i, (text, address)) in texts.iter().enumerate() {
        let n = NewReport {
            id: Some(format!("R{:07}", i + 1)),
            text: (*text).into(),
            address: address.map(str::to_string),
            ..NewReport::default()
        };
        s.execute(&Command::SubmitReport(n).into(), &officer, t0())
            .expect("submit");
    }
    s
}

fn found(s: &Store, q: &str) -> Vec<String> {
    let f = ReportFilter {
        query: Some(q.into()),
        limit: MAX_PAGE,
        ..ReportFilter::default()
    };
    let mut ids: Vec<String> = s
        .list_reports(&f, t0())
        .expect("search")
        .into_iter()
        .map(|r| r.id)
        .collect();
    ids.sort();
    ids
}

#[test]
fn a_query_matches_where_a_word_starts() {
    let s = store_of(&[
        ("Rác thải tràn ra lòng đường", None),
        ("Đống (rác) bên đường, ai chịu trách nhiệm?", None),
        ("Ai chịu trách nhiệm vụ này?", None),
        ("Đèn hỏng", Some("Chợ Đông Ba, phường Phú Xuân")),
        ("Ngập ở phường Thuận Hoà", None),
        ("Ngập ở phường Thuận Hòa", None),
        ("ngap o phuong thuan hoa", None),
        ("Giảm 100% phí? a*b [x]", None),
    ]);
    assert_eq!(found(&s, "rac"), ["R0000001", "R0000002"], "not trách");
    assert_eq!(found(&s, "RÁC"), ["R0000001", "R0000002"]);
    assert_eq!(found(&s, "trach nhiem"), ["R0000002", "R0000003"]);
    assert_eq!(found(&s, "dong ba"), ["R0000004"], "the address is searched too");
    assert_eq!(found(&s, "thuan hoa"), ["R0000005", "R0000006", "R0000007"]);
    assert_eq!(found(&s, "Thuận Hòa"), ["R0000005", "R0000006", "R0000007"]);
    assert_eq!(found(&s, "huan hoa"), Vec::<String>::new(), "not from inside a word");
    assert_eq!(found(&s, "100%"), ["R0000008"]);
    assert_eq!(found(&s, "a*b"), ["R0000008"], "`*` is taken literally");
    assert_eq!(found(&s, "[x]"), ["R0000008"], "`[` is taken literally");
    assert_eq!(found(&s, "a?b"), Vec::<String>::new(), "`?` is taken literally");
}

#[test]
fn cases_are_searched_the_same_way() {
    let mut s = store_of(&[
        ("Rác thải tràn ra lòng đường Lê Lợi", None),
        ("Ai chịu trách nhiệm?", None),
    ]);
    let officer = Actor::new("ioc.lan", Role::Officer);
    for id in ["R0000001", "R0000002"] {
        let verify = Command::VerifyReport {
            id: id.into(),
            category: Some("waste".into()),
        };
        s.execute(&verify.into(), &officer, t0()).expect("verify");
        let forward = Command::Forward {
            report_id: id.into(),
            agencies: Vec::new(),
            priority: None,
        };
        s.execute(&forward.into(), &officer, t0()).expect("forward");
    }
    let f = |q: &str| CaseFilter {
        query: Some(q.into()),
        limit: MAX_PAGE,
        ..CaseFilter::default()
    };
    assert_eq!(s.list_cases(&f("nhiem"), t0()).expect("cases").len(), 1);
    assert_eq!(s.list_cases(&f("rac"), t0()).expect("cases").len(), 1, "not trách");
    assert_eq!(s.list_cases(&f("le loi"), t0()).expect("cases").len(), 1);
}
