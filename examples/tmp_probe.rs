use std::time::Instant;
fn main() {
    let corpus = gloss::bench::synthetic::corpus(20000, 50, 11, "a");
    let t = Instant::now();
    let json = gloss::io::project_to_json(&corpus);
    println!("to_json: {:?} ({} MB)", t.elapsed(), json.len() / 1_000_000);
    let t = Instant::now();
    let project: gloss::model::Project = serde_json::from_str(&json).unwrap();
    println!("serde parse: {:?}", t.elapsed());
    let t = Instant::now();
    let problems = project.check_invariants();
    println!("invariants: {:?} ({})", t.elapsed(), problems.len());
    let t = Instant::now();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    println!("Value parse: {:?} {}", t.elapsed(), v.is_object());
    let t = Instant::now();
    let mut n = 0;
    for d in &project.documents {
        n += gloss::model::sha256_hex(d.text.as_str()).len();
    }
    println!("sha: {:?} {n}", t.elapsed());
    let t = Instant::now();
    let mut n = 0;
    for d in &project.documents {
        n += gloss::text::DocumentText::new(d.text.as_str()).char_len();
    }
    println!("text index: {:?} {n}", t.elapsed());
    let t = Instant::now();
    let anns: Vec<&gloss::model::Annotation> = project.documents.iter().flat_map(|d| d.annotations.iter()).collect();
    let s = serde_json::to_string(&anns).unwrap();
    println!("annotations json: {:?} {}", t.elapsed(), s.len() / 1_000_000);
    let t = Instant::now();
    let back: Vec<gloss::model::Annotation> = serde_json::from_str(&s).unwrap();
    println!("annotations parse: {:?} {}", t.elapsed(), back.len());
}
