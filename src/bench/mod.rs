//! `gloss bench`: measures every performance target of Gloss on synthetic data and prints a table.
//!
//! Each figure is the median of several runs of a release build. `--quick` runs small sizes once
//! or twice as a smoke test (CI runs it); it checks that every measurement works, not how fast.
//! Nothing here asserts a time: the table reports, people judge.

mod frames;
pub mod synthetic;

use std::time::Instant;

use crate::io::{ExportFormat, ExportOptions, NoProgress, export, parse_project, project_to_json};
use crate::review::compare::Colleague;
use crate::review::report::agreement;

/// How big and how often.
#[derive(Clone, Copy, Debug)]
pub struct Sizes {
    /// Bytes of the long document.
    pub document_bytes: usize,
    /// Tags on the long document.
    pub document_tags: usize,
    /// Documents of the corpus.
    pub corpus_documents: usize,
    /// Tags per corpus document.
    pub corpus_tags: usize,
    /// Runs per measurement (the median is reported).
    pub runs: usize,
}

impl Sizes {
    /// The sizes of the targets: a 5 MB document with 100,000 tags; 20,000 documents × 50 tags.
    pub const FULL: Sizes = Sizes { document_bytes: 5_000_000, document_tags: 100_000, corpus_documents: 20_000, corpus_tags: 50, runs: 7 };
    /// A smoke test that finishes in seconds.
    pub const QUICK: Sizes = Sizes { document_bytes: 200_000, document_tags: 4_000, corpus_documents: 200, corpus_tags: 50, runs: 2 };
}

/// One measured figure and its target.
#[derive(Clone, Debug)]
pub struct Measurement {
    /// What was measured.
    pub name: String,
    /// The median, in the unit.
    pub value: f64,
    /// `ms` or `MB`.
    pub unit: &'static str,
    /// The target, in the same unit.
    pub target: Option<f64>,
}

impl Measurement {
    fn new(name: impl Into<String>, value: f64, unit: &'static str, target: Option<f64>) -> Self {
        Self { name: name.into(), value, unit, target }
    }

    /// Whether the target is met (or there is none).
    pub fn met(&self) -> bool {
        self.target.is_none_or(|target| self.value <= target)
    }
}

/// The median of `runs` timings of `work`, in milliseconds; `prepare` runs before each and the
/// output of `work` is dropped after it, both untimed.
pub fn median_ms<S, R>(runs: usize, mut prepare: impl FnMut() -> S, mut work: impl FnMut(S) -> R) -> f64 {
    let mut times: Vec<f64> = (0..runs.max(1))
        .map(|_| {
            let state = prepare();
            let start = Instant::now();
            let output = work(state);
            let elapsed = start.elapsed();
            drop(output);
            elapsed.as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// Starts a new peak of resident memory, so the next [`memory_mb`] peak is of the work since (Linux).
pub fn reset_peak_memory() {
    // Writing 5 to clear_refs resets VmHWM to the current resident size (Linux 4.0 and later).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The process's resident memory now, and at its peak, in MB (Linux; 0 elsewhere).
pub fn memory_mb() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|line| line.starts_with(name))
            .and_then(|line| line.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// A group of measurements, to run one alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Suite {
    /// Frames of the document view on one long document.
    Document,
    /// Opening, saving, exporting and comparing a corpus, and the document list.
    Corpus,
}

/// Runs the measurements of `only` (all when `None`), printing progress to stderr.
pub fn run(sizes: Sizes, only: Option<Suite>) -> Vec<Measurement> {
    // Worker threads run as they do in the app: below the window's priority.
    crate::app::run_workers_in_background();
    let wanted = |suite| only.is_none_or(|only| only == suite);
    let mut results = Vec::new();
    if wanted(Suite::Document) {
        eprintln!("gloss bench: the document view…");
        results.extend(frames::document_view(sizes));
    }
    if wanted(Suite::Corpus) {
        eprintln!("gloss bench: a corpus of {} documents × {} tags…", sizes.corpus_documents, sizes.corpus_tags);
        results.extend(corpus(sizes));
    }
    results
}

fn corpus(sizes: Sizes) -> Vec<Measurement> {
    let ours = synthetic::corpus(sizes.corpus_documents, sizes.corpus_tags, 11, "a");
    let theirs = synthetic::corpus(sizes.corpus_documents, sizes.corpus_tags, 12, "b");
    let json = project_to_json(&ours);
    let path = std::path::Path::new("corpus.gloss.json");
    let mut results = Vec::new();
    let open = median_ms(sizes.runs, || (), |()| parse_project(&json, path));
    results.push(Measurement::new(format!("corpus: open ({} MB file)", json.len() / 1_000_000), open, "ms", Some(1000.0)));
    let folder = tempfile::tempdir().ok();
    let save = median_ms(
        sizes.runs,
        || (),
        |()| {
            if let Some(folder) = &folder {
                let _ = crate::io::save_project(&ours, &folder.path().join("corpus.gloss.json"));
            }
        },
    );
    results.push(Measurement::new("corpus: save", save, "ms", Some(1000.0)));
    for (format, target) in [(ExportFormat::Jsonl, 500.0), (ExportFormat::Conll, 500.0)] {
        let (before, _) = memory_mb();
        let mut peak_growth: f64 = 0.0;
        let time = median_ms(
            sizes.runs,
            || (),
            |()| {
                reset_peak_memory();
                let mut sink = CountingSink::default();
                let _ = export(&ours, format, &ExportOptions::default(), &mut sink, &mut NoProgress);
                peak_growth = peak_growth.max(memory_mb().1 - before);
            },
        );
        results.push(Measurement::new(format!("corpus: export {format}"), time, "ms", Some(target)));
        results.push(Measurement::new(
            format!("corpus: export {format}, memory beyond the project"),
            peak_growth.max(0.0),
            "MB",
            Some(300.0),
        ));
    }
    let agree = median_ms(
        sizes.runs,
        || theirs.clone(),
        |theirs| {
            let colleague = Colleague::new(&ours, theirs, "b.gloss.json".into());
            let report = agreement(&ours, "a", &colleague);
            (colleague, report)
        },
    );
    results.push(Measurement::new("corpus: agreement of two annotators", agree, "ms", Some(1000.0)));
    results.extend(frames::document_list(&ours, sizes));
    results.extend(frames::frames_while(&ours, "opening", || drop(parse_project(&json, path))));
    results.extend(frames::frames_while(&ours, "a conll export", || {
        let _ = export(&ours, ExportFormat::Conll, &ExportOptions::default(), &mut CountingSink::default(), &mut NoProgress);
    }));
    results.extend(frames::frames_while(&ours, "agreement", || {
        let colleague = Colleague::new(&ours, theirs.clone(), "b.gloss.json".into());
        drop(agreement(&ours, "a", &colleague));
    }));
    results
}

/// A sink that counts bytes and keeps nothing, so exports are timed without disk or memory cost.
#[derive(Default)]
struct CountingSink {
    bytes: u64,
}

impl crate::io::ExportSink for CountingSink {
    fn write_file(&mut self, _name: &str, body: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>) -> std::io::Result<()> {
        let mut counter = Counter { bytes: 0 };
        body(&mut counter)?;
        self.bytes += counter.bytes;
        Ok(())
    }
}

struct Counter {
    bytes: u64,
}

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The measurements as a Markdown table.
pub fn table(measurements: &[Measurement]) -> String {
    let mut out = String::from("| Measurement | Median | Target | Met |\n| --- | ---: | ---: | :---: |\n");
    for measurement in measurements {
        // Sub-millisecond frames and ratios keep two decimals: a target of 1.5× needs them.
        let decimals = if measurement.value < 1.0 || measurement.unit == "×" { 2 } else { 1 };
        let value = format!("{:.decimals$} {}", measurement.value, measurement.unit);
        let target = measurement.target.map_or_else(|| "–".to_owned(), |target| format!("≤ {target} {}", measurement.unit));
        let met = if measurement.target.is_none() {
            ""
        } else if measurement.met() {
            "yes"
        } else {
            "**no**"
        };
        out.push_str(&format!("| {} | {value} | {target} | {met} |\n", measurement.name));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_tables() {
        let mut value = 0.0;
        let median = median_ms(3, || (), |()| value += 1.0);
        assert!(median >= 0.0);
        assert_eq!(value, 3.0);
        let table = table(&[Measurement::new("x", 2.0, "ms", Some(1.0)), Measurement::new("y", 1.0, "MB", None)]);
        assert!(table.contains("| x | 2.0 ms | ≤ 1 ms | **no** |"), "{table}");
        assert!(table.contains("| y | 1.0 MB | – |  |"), "{table}");
    }
}
