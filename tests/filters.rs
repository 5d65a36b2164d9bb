//! The filters, the timeline's counts and playback, without the UI: fixture incidents in,
//! shown sets, facet counts, day counts, ticks and playback positions out.

use incident_map::engine::model::{Evidence, Incident, IncidentLocation, LocationStatus, Span};
use incident_map::ui::filter::{Day, Filtered, Filters, day_of, span_of, summary};
use incident_map::ui::search::SearchIndex;
use incident_map::ui::selection::FilterIndex;
use incident_map::ui::time_axis::{Bin, PlayMode, Playback, ticks};

fn date(s: &str) -> chrono::NaiveDate {
    s.parse().expect("a test date")
}

fn day(s: &str) -> Day {
    day_of(date(s))
}

/// An incident: id, date (or none) and precision, type, actor, place.
fn incident(
    id: &str,
    when: Option<(&str, u8)>,
    event_type: &str,
    actor: &str,
    place: Option<&str>,
) -> Incident {
    let json = serde_json::json!({
        "id": id, "sources": [format!("{id}.txt")], "event_type": event_type,
        "sub_event_type": null, "event_date": when.map(|w| w.0),
        "time_precision": when.map(|w| w.1), "year_inferred": false, "date_evidence": null,
        "date_source": null, "actor1": actor, "actor2": null, "assoc_actor_1": null,
        "assoc_actor_2": null, "actors_from_article": false, "fatalities": 0,
        "fatalities_text": null, "status": "unlocated", "location": null,
        "place_mention": place, "place_span": null, "candidates": [], "evidence": [],
        "merged_from": []
    });
    let mut i: Incident = serde_json::from_value(json).expect("a valid incident");
    if let Some(name) = place {
        let place = serde_json::json!({
            "id": name, "name": name, "lat": 15.0, "lon": -2.0, "kind": "town",
            "feature_code": "PPL", "country": "ML", "admin1": null, "admin2": null,
            "source": "test"
        });
        i.location = Some(IncidentLocation {
            place: serde_json::from_value(place).expect("a valid place"),
            lat: 15.0,
            lon: -2.0,
            geo_precision: 1,
            uncertainty_km: 0.0,
        });
        i.status = LocationStatus::Located;
    }
    i.evidence.push(Evidence {
        article_id: format!("{id}.txt"),
        span: Span { start: 0, end: 1 },
        sentence: format!("Notes of {id}."),
    });
    i
}

fn fixture() -> Vec<Incident> {
    vec![
        incident(
            "a",
            Some(("2025-06-02", 1)),
            "Battles",
            "JNIM",
            Some("Ménaka"),
        ),
        incident("b", Some(("2025-06-07", 1)), "Battles", "FAMa", Some("Gao")),
        // Known to the week around 14 June: 11 to 17 June.
        incident("c", Some(("2025-06-14", 2)), "Riots", "JNIM", Some("Gao")),
        // Known to the month: all of July.
        incident("d", Some(("2025-07-15", 3)), "Protests", "Civilians", None),
        incident("e", None, "Battles", "JNIM", Some("Tessit")),
    ]
}

fn shown(filtered: &Filtered, incidents: &[Incident]) -> Vec<String> {
    incidents
        .iter()
        .enumerate()
        .filter(|(i, _)| filtered.is_shown(*i))
        .map(|(_, x)| x.id.clone())
        .collect()
}

#[test]
fn spans_follow_time_precision() {
    let cases = [
        (Some(("2025-06-07", 1)), Some(("2025-06-07", "2025-06-07"))),
        (Some(("2025-06-14", 2)), Some(("2025-06-11", "2025-06-17"))),
        (Some(("2025-02-05", 3)), Some(("2025-02-01", "2025-02-28"))),
        (Some(("2024-12-25", 3)), Some(("2024-12-01", "2024-12-31"))),
        (Some(("not a date", 1)), None),
        (None, None),
    ];
    for (when, expected) in cases {
        let i = incident("x", when, "Battles", "JNIM", None);
        assert_eq!(
            span_of(&i),
            expected.map(|(a, b)| (day(a), day(b))),
            "{when:?}"
        );
    }
}

#[test]
fn the_brush_shows_what_may_fall_in_it_and_undated_on_request() {
    let incidents = fixture();
    /// The brushed days, whether undated incidents are included, the ids shown.
    type Case<'a> = (Option<(&'a str, &'a str)>, bool, &'a [&'a str]);
    let cases: [Case; 7] = [
        (None, true, &["a", "b", "c", "d", "e"]),
        (None, false, &["a", "b", "c", "d"]),
        (Some(("2025-06-01", "2025-06-06")), true, &["a", "e"]),
        (Some(("2025-06-01", "2025-06-06")), false, &["a"]),
        // The week-known riot overlaps 17 June; the day-known ones do not.
        (Some(("2025-06-17", "2025-06-30")), false, &["c"]),
        (Some(("2025-07-31", "2025-08-10")), false, &["d"]),
        (Some(("2025-08-01", "2025-08-10")), false, &[]),
    ];
    let mut filtered = Filtered::default();
    for (range, include_undated, expected) in cases {
        let filters = Filters {
            range: range.map(|(a, b)| (date(a), date(b))),
            include_undated,
            ..Filters::default()
        };
        filtered.update(1, &incidents, &filters);
        assert_eq!(shown(&filtered, &incidents), expected, "{range:?}");
        assert_eq!(filtered.selection.count, expected.len());
    }
}

#[test]
fn each_facet_counts_what_ticking_it_would_show() {
    let incidents = fixture();
    let mut filters = Filters::default();
    filters.hidden_types.insert("Battles".into());
    filters.actors.insert("JNIM".into());
    let mut filtered = Filtered::default();
    filtered.update(1, &incidents, &filters);
    assert_eq!(shown(&filtered, &incidents), ["c"]);
    let s = &filtered.selection;
    // Battles with JNIM: a and e (hidden, but counted on their checkbox).
    assert_eq!(s.by_type[0], 2);
    assert_eq!(s.by_type[5], 1, "riots");
    let jnim = filtered.index.actors().iter().position(|a| a == "JNIM");
    let fama = filtered.index.actors().iter().position(|a| a == "FAMa");
    // Of the non-battles: one with JNIM (c), none with FAMa.
    assert_eq!(s.by_actor[jnim.expect("JNIM indexed")], 1);
    assert_eq!(s.by_actor[fama.expect("FAMa indexed")], 0);
    assert_eq!(s.by_status, [1, 0, 0]);
    let text = summary(&filters, s.count, incidents.len(), s.undated);
    assert_eq!(
        text,
        "Showing 1 of 5 incidents · all dates · Explosions/Remote violence, Violence against \
         civilians, Strategic developments, Protests, Riots, Type unknown · actors: JNIM"
    );
}

#[test]
fn day_counts_hold_exact_days_and_spread_periods() {
    let incidents = fixture();
    let mut filtered = Filtered::default();
    filtered.update(1, &incidents, &Filters::default());
    let days = &filtered.selection.days;
    assert_eq!(days.first, day("2025-06-02"));
    assert_eq!(days.last(), day("2025-07-31"));
    assert_eq!(days.at(day("2025-06-07")).0[0], 1, "b on its day");
    let spread_total: f32 = (days.first..=days.last())
        .map(|d| days.at(d).1.iter().sum::<f32>())
        .sum();
    assert!((spread_total - 2.0).abs() < 1e-3, "c and d: {spread_total}");
    assert!((days.at(day("2025-06-11")).1[5] - 1.0 / 7.0).abs() < 1e-4);
    assert_eq!(filtered.selection.undated, 1);
}

#[test]
fn a_wild_date_does_not_make_the_counts_huge() {
    let mut incidents = fixture();
    incidents.push(incident(
        "old",
        Some(("0900-01-01", 1)),
        "Battles",
        "X",
        None,
    ));
    let mut index = FilterIndex::default();
    index.update(1, &incidents);
    let selection = index.select(&incidents, &Filters::default());
    assert!(selection.days.exact.len() <= 73_001);
    assert_eq!(selection.count, incidents.len());
}

#[test]
fn search_finds_words_inside_words_whatever_the_accents() {
    let incidents = fixture();
    let index = SearchIndex::new(&incidents);
    let cases: [(&str, Option<&[bool]>); 5] = [
        ("menak", Some(&[true, false, false, false, false])),
        ("MÉNAKA", Some(&[true, false, false, false, false])),
        ("gao riots", Some(&[false, false, true, false, false])),
        ("jnim", Some(&[true, false, true, false, true])),
        ("  ", None),
    ];
    for (query, expected) in cases {
        assert_eq!(index.hits(query).as_deref(), expected, "{query}");
    }
}

#[test]
fn bins_and_ticks_read_as_dates() {
    assert_eq!(Bin::for_scale(10.0, 5.0), Bin::Day);
    assert_eq!(Bin::for_scale(1.0, 5.0), Bin::Week);
    assert_eq!(Bin::for_scale(0.5, 5.0), Bin::Month);
    // 2025-06-11 is a Wednesday: its week runs Monday 9 to Sunday 15 June.
    assert_eq!(
        Bin::Week.around(day("2025-06-11")),
        (day("2025-06-09"), day("2025-06-16"))
    );
    assert_eq!(
        Bin::Month.around(day("2025-02-14")),
        (day("2025-02-01"), day("2025-03-01"))
    );
    // Two weeks across 1,000 px: a label a day, the year on the first.
    let labels: Vec<String> = ticks(
        f64::from(day("2025-06-01")),
        f64::from(day("2025-06-14")),
        70.0,
        60.0,
    )
    .into_iter()
    .map(|t| t.1)
    .collect();
    assert_eq!(labels[..3], ["1 Jun 2025", "2 Jun", "3 Jun"]);
    // Two years across 1,000 px: months, the year where it changes.
    let labels: Vec<String> = ticks(
        f64::from(day("2024-01-01")),
        f64::from(day("2025-12-31")),
        1.37,
        80.0,
    )
    .into_iter()
    .map(|t| t.1)
    .collect();
    assert_eq!(labels[..3], ["Jan 2024", "Mar", "May"]);
    assert!(labels.contains(&"Jan 2025".to_string()), "{labels:?}");
}

#[test]
fn playback_moves_over_empty_stretches_and_stops_at_the_end() {
    let incidents = fixture();
    let mut filtered = Filtered::default();
    filtered.update(1, &incidents, &Filters::default());
    let days = &filtered.selection.days;
    let window = Playback {
        window_days: 1,
        ..Playback::default()
    };
    let start = window.start(days);
    assert_eq!(start, day("2025-06-02"));
    // From 2 June, one day on is empty: the next incident's day, 7 June.
    let next = window.advance(f64::from(start), 1.0, days);
    assert_eq!(next, Some(f64::from(day("2025-06-07"))));
    let no_skip = Playback {
        skip_empty: false,
        ..window.clone()
    };
    assert_eq!(
        no_skip.advance(f64::from(start), 1.0, days),
        Some(f64::from(start + 1))
    );
    assert_eq!(window.advance(f64::from(days.last()), 1.0, days), None);

    let cumulative = Playback {
        mode: PlayMode::Cumulative,
        ..Playback::default()
    };
    assert_eq!(
        cumulative.brush(f64::from(day("2025-06-10")), days.first),
        (day("2025-06-02"), day("2025-06-10"))
    );
    let week = Playback::default();
    assert_eq!(
        week.brush(f64::from(day("2025-06-10")), days.first),
        (day("2025-06-04"), day("2025-06-10"))
    );
}

/// Over 20,000 incidents the pass is split over two threads: what it shows and counts must be
/// what the halves would each give, summed, wherever the split falls (here inside a copy of the
/// fixture).
#[test]
fn many_incidents_are_counted_as_each_one_is() {
    let one = fixture();
    let copies = 6001;
    let many: Vec<Incident> = (0..copies).flat_map(|_| one.clone()).collect();
    let mut filters = Filters::default();
    filters.set_days(Some((day("2025-06-05"), day("2025-06-30"))));
    filters.hidden_types.insert("Riots".into());
    let (mut small, mut large) = (FilterIndex::default(), FilterIndex::default());
    small.update(1, &one);
    large.update(1, &many);
    let (a, b) = (small.select(&one, &filters), large.select(&many, &filters));
    let times = |v: &[usize]| v.iter().map(|n| n * copies).collect::<Vec<_>>();
    assert_eq!(b.count, a.count * copies);
    assert_eq!(b.shown, a.shown.repeat(copies));
    assert_eq!(b.by_type.to_vec(), times(&a.by_type));
    assert_eq!(b.by_actor, times(&a.by_actor));
    assert_eq!(b.by_source, times(&a.by_source));
    assert_eq!(b.by_precision.to_vec(), times(&a.by_precision));
    assert_eq!(b.by_status.to_vec(), times(&a.by_status));
    assert!(
        a.count > 0 && a.count < one.len(),
        "the filters show some, not all"
    );
}

/// The time brush sliding (or playback) counts only the incidents entering or leaving the
/// range again: after every move, forward, back, wider, narrower, with other filters set, what
/// it shows and counts must be what a whole pass over the incidents gives.
#[test]
fn a_sliding_brush_shows_and_counts_what_a_whole_pass_does() {
    let types = ["Battles", "Riots", "Protests", "Explosions/Remote violence"];
    let actors = ["JNIM", "FAMa", "ISSP", "Civilians"];
    let start = date("2025-01-01");
    let incidents: Vec<Incident> = (0..600)
        .map(|k| {
            let when = (start + chrono::Days::new(k * 37 % 300)).to_string();
            let precision = (k % 3 + 1) as u8;
            incident(
                &format!("i{k}"),
                (k % 11 != 0).then_some((when.as_str(), precision)),
                types[k as usize % types.len()],
                actors[(k as usize / 3) % actors.len()],
                (k % 5 != 0).then_some("Gao"),
            )
        })
        .collect();
    let mut filters = Filters::default();
    filters.hidden_types.insert("Riots".into());
    let mut index = FilterIndex::default();
    index.update(1, &incidents);
    let check = |index: &mut FilterIndex, filters: &Filters, from: &str, to: &str, undated| {
        let mut f = filters.clone();
        f.set_days(Some((day(from), day(to))));
        f.include_undated = undated;
        let slid = index.select(&incidents, &f);
        let mut fresh = FilterIndex::default();
        fresh.update(1, &incidents);
        assert_eq!(slid, fresh.select(&incidents, &f), "{from} to {to}");
        assert!(slid.count > 0, "{from} to {to} shows some");
    };
    check(&mut index, &filters, "2025-03-01", "2025-03-07", false);
    for d in 2..=20 {
        check(
            &mut index,
            &filters,
            &format!("2025-03-{d:02}"),
            &format!("2025-03-{:02}", d + 6),
            false,
        );
    }
    check(&mut index, &filters, "2025-03-18", "2025-03-24", false);
    check(&mut index, &filters, "2025-03-18", "2025-03-31", false);
    check(&mut index, &filters, "2025-03-25", "2025-03-31", false);
    check(&mut index, &filters, "2025-03-25", "2025-03-31", true);
    check(&mut index, &filters, "2025-03-24", "2025-03-30", true);
    check(&mut index, &filters, "2025-09-01", "2025-10-20", true);
    check(&mut index, &filters, "2025-09-02", "2025-10-21", true);
    let slid = index.slides();
    assert!(slid >= 20, "the small moves slide: {slid}");
    // A change of another filter is a whole pass again, and the next slide starts from it.
    filters.hidden_types.clear();
    check(&mut index, &filters, "2025-09-02", "2025-10-21", true);
    check(&mut index, &filters, "2025-09-03", "2025-10-22", true);
    assert_eq!(index.slides(), slid + 1);
}
