//! The sample project in `projects/` is valid, covers the article and holds what the brief asks
//! for: at least 25 entities, 8 claims each linked to a claimant, 6 sentiments each with a target
//! and a holder, and a document-level sentiment.

use gloss::model::{Kind, RelationTarget};

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/projects/pakistan-taliban.gloss.json");

#[test]
fn the_sample_project_is_valid_and_complete() {
    let project = gloss::io::load_project(std::path::Path::new(SAMPLE)).expect("the sample loads and validates");
    assert_eq!(project.documents.len(), 1);
    let document = &project.documents[0];
    assert_eq!(document.text.as_str(), gloss::SEED_ARTICLE, "the sample annotates the bundled article");
    let of = |kind: Kind| document.annotations.iter().filter(move |a| a.kind == kind);

    assert!(of(Kind::Entity).count() >= 25);
    let claims: Vec<_> = of(Kind::Claim).collect();
    assert!(claims.len() >= 8);
    for claim in &claims {
        let claimant = claim.relation("claimant").unwrap_or_else(|| panic!("claim {} has a claimant", claim.id));
        if let RelationTarget::Annotation(id) = claimant {
            assert_eq!(document.annotation(id).map(|a| a.kind), Some(Kind::Entity));
        }
    }
    let sentiments: Vec<_> = of(Kind::Sentiment).collect();
    assert!(sentiments.len() >= 6);
    assert!(sentiments.iter().all(|s| s.relation("target").is_some() && s.relation("holder").is_some()));
    assert!(sentiments.iter().all(|s| s.attributes.contains_key("polarity")));
    assert_eq!(of(Kind::Document).count(), 1);
    assert!(claims.iter().any(|claim| claim.fragments.len() > 1), "a discontinuous claim shows fragments");
}

#[test]
fn sample_offsets_are_code_points() {
    // Read the raw JSON as Python would: offsets index the text by code point, so names that come
    // after many curly quotes, em dashes and no-break spaces still slice exactly.
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(SAMPLE).expect("read")).expect("json");
    let document = &json["documents"][0];
    let text: Vec<char> = document["text"].as_str().expect("text").chars().collect();
    let people: Vec<String> = document["annotations"]
        .as_array()
        .expect("annotations")
        .iter()
        .filter(|annotation| annotation["label"] == "PER")
        .map(|annotation| {
            let fragment = &annotation["fragments"][0];
            let (start, end) = (fragment["start"].as_u64().expect("start") as usize, fragment["end"].as_u64().expect("end") as usize);
            text[start..end].iter().collect()
        })
        .collect();
    for name in ["Shafqat Ali Khan", "Zabihullah Mujahid", "The head of Pakistan’s intelligence service", "Rana"] {
        assert!(people.iter().any(|person| person == name), "{name:?} in {people:?}");
    }
}
