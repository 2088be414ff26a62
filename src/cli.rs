//! The `gloss` command line: the app by default, and headless subcommands for pipelines.
//!
//! Exit codes: 0 success, 1 validation findings, 2 bad input or usage. Loss reports and errors go
//! to stderr; results to stdout. Nothing here needs a display.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::io::{
    ExportFormat, ExportOptions, FileSink, ImportFormat, ImportOptions, LossReport, NoProgress, ProjectFileError, export, import,
    load_project, project_json_schema, save_project,
};
use crate::model::{Kind, Project};
use crate::review::compare::Colleague;
use crate::review::report::{AgreementReport, agreement, group_agreement};
use crate::stats::ProjectStats;

/// Gloss: annotate news articles with entities, claims and sentiment.
#[derive(Parser)]
#[command(version, about, long_about = None)]
pub struct Cli {
    /// A project (`*.gloss.json`) or a UTF-8 text file to open in the app; without it, Gloss opens
    /// the bundled article in a new project.
    pub path: Option<PathBuf>,
    /// A headless subcommand instead of the app.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The headless subcommands.
#[derive(Subcommand)]
pub enum Command {
    /// Print the JSON Schema of project files.
    Schema,
    /// Check project files: exit 0 when all are valid, 1 when one breaks the rules, 2 when one
    /// cannot be read or parsed.
    Validate {
        /// The project files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Export a project to a dataset format; what the format cannot hold is reported on stderr.
    Export {
        /// The project to export.
        project: PathBuf,
        /// The format: jsonl, conll, brat, w3c, labelstudio or csv.
        #[arg(long, short)]
        format: ExportFormat,
        /// Where to write: a file, or a folder for brat.
        #[arg(long, short)]
        output: PathBuf,
        /// For CoNLL, the layer to write: entity (the default), claim or sentiment.
        #[arg(long, alias = "layer", value_parser = parse_span_kind)]
        kind: Option<Kind>,
    },
    /// Import documents (and their annotations) into a project, creating it if needed. Nothing is
    /// written if any input is malformed.
    Import {
        /// The format: text, jsonl (Gloss or doccano), brat or labelstudio.
        #[arg(long, short)]
        format: ImportFormat,
        /// Input files or folders.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// The project to create or extend.
        #[arg(long, short)]
        output: PathBuf,
        /// The author recorded on annotations whose format does not name one.
        #[arg(long, default_value = "import")]
        author: String,
        /// Add labels missing from the project's schema instead of refusing the input.
        #[arg(long)]
        add_labels: bool,
    },
    /// Repair a project that `validate` says repairs would fix (dangling relations, labels missing
    /// from the schema), and save it: to OUTPUT, or over the file (atomically) without it.
    Repair {
        /// The project to repair.
        project: PathBuf,
        /// Where to save the repaired project (default: over the original).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Pre-annotate a project: add gazetteers, run the project's rules (gazetteers and regex
    /// rules) on every document, and save the suggestions, to OUTPUT or over the file
    /// (atomically). Suggestions are accepted or rejected in the app.
    Preannotate {
        /// The project.
        project: PathBuf,
        /// A gazetteer to add first: a CSV of term,label rows, or a list of terms (one per line)
        /// with --list-label; one of the same name is replaced.
        #[arg(long = "gazetteer")]
        gazetteers: Vec<PathBuf>,
        /// The label of the terms of gazetteers given as plain lists.
        #[arg(long)]
        list_label: Option<String>,
        /// Where to save (default: over the project).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Measure how far annotators agree: A is the reference, B (and more) are compared with it.
    /// Documents are matched by text (or title); tags on a changed text are re-anchored.
    Agree {
        /// The reference project (A).
        reference: PathBuf,
        /// The projects compared with it (B, C, ...).
        #[arg(required = true)]
        others: Vec<PathBuf>,
        /// Print JSON with stable keys (`kinds.entity.span.strict.f1`, ...) instead of tables.
        #[arg(long)]
        json: bool,
    },
    /// Measure every performance target on synthetic data and print a Markdown table (build with
    /// --release for figures that mean something).
    Bench {
        /// Small sizes, for a smoke test in seconds.
        #[arg(long)]
        quick: bool,
        /// Run one group of measurements only.
        #[arg(long, value_enum)]
        only: Option<crate::bench::Suite>,
    },
    /// Three-way merge of project files at annotation level, as a git merge driver
    /// (`gloss merge %O %A %B`): the result replaces OURS (or goes to OUTPUT). Exit 0 when clean,
    /// 1 when conflicts were flagged in the file (or settled by keeping ours), 2 on unreadable input.
    Merge {
        /// The common ancestor (git's %O).
        base: PathBuf,
        /// Our version (git's %A), replaced by the result unless OUTPUT is given.
        ours: PathBuf,
        /// Their version (git's %B).
        theirs: PathBuf,
        /// Where to write the result instead of OURS.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Count annotations per document, kind and label, and documents per status.
    Stats {
        /// The project to count.
        project: PathBuf,
        /// The output: a table (the default), JSON with stable keys, or CSV with one row per
        /// document, a column per label and a total row.
        #[arg(long, short, value_enum)]
        format: Option<StatsFormat>,
        /// The same as `--format json`.
        #[arg(long, conflicts_with = "format")]
        json: bool,
    },
}

/// How `gloss stats` prints the counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum StatsFormat {
    /// A table for people.
    Table,
    /// JSON with stable keys, for scripts.
    Json,
    /// CSV for spreadsheets: one row per document and a total row.
    Csv,
}

/// The kinds CoNLL can write: those with spans.
fn parse_span_kind(name: &str) -> Result<Kind, String> {
    Kind::ALL
        .into_iter()
        .filter(|kind| kind.has_spans())
        .find(|kind| kind.name() == name)
        .ok_or_else(|| format!("unknown layer {name:?}; use entity, claim or sentiment"))
}

/// Runs a headless subcommand and returns the process's exit code.
pub fn run(command: Command) -> ExitCode {
    let result = match command {
        Command::Schema => {
            print!("{}", project_json_schema());
            Ok(ExitCode::SUCCESS)
        }
        Command::Validate { files } => Ok(validate(&files)),
        Command::Repair { project, output } => repair_command(&project, output.as_deref()),
        Command::Export { project, format, output, kind } => export_command(&project, format, &output, kind),
        Command::Import { format, inputs, output, author, add_labels } => {
            import_command(format, &inputs, &output, ImportOptions { author, add_unknown_labels: add_labels })
        }
        Command::Preannotate { project, gazetteers, list_label, output } => {
            preannotate_command(&project, &gazetteers, list_label.as_deref(), output.as_deref())
        }
        Command::Agree { reference, others, json } => agree_command(&reference, &others, json),
        Command::Stats { project, format, json } => {
            let format = format.unwrap_or(if json { StatsFormat::Json } else { StatsFormat::Table });
            stats_command(&project, format)
        }
        Command::Merge { base, ours, theirs, output } => merge_command(&base, &ours, &theirs, output.as_deref()),
        Command::Bench { quick, only } => {
            let sizes = if quick { crate::bench::Sizes::QUICK } else { crate::bench::Sizes::FULL };
            let results = crate::bench::run(sizes, only);
            print!("{}", crate::bench::table(&results));
            Ok(ExitCode::SUCCESS)
        }
    };
    result.unwrap_or_else(|message| {
        eprintln!("gloss: {message}");
        ExitCode::from(2)
    })
}

/// `gloss validate FILE...`: checks each project and prints every problem with its place.
fn validate(files: &[PathBuf]) -> ExitCode {
    let mut worst = 0;
    for file in files {
        match load_project(file) {
            Ok(project) => {
                let conflicts: usize = project.documents.iter().map(|document| document.conflicts.len()).sum();
                let unsettled = if conflicts == 0 { String::new() } else { format!(", {conflicts} merge conflict(s) to settle") };
                let (documents, annotations) = (project.documents.len(), project.annotation_count());
                println!("{}: valid ({documents} documents, {annotations} annotations{unsettled})", file.display());
            }
            Err(error @ ProjectFileError::Invalid { .. }) => {
                eprintln!("{error}");
                worst = worst.max(1);
            }
            Err(error @ ProjectFileError::Repairable { .. }) => {
                eprintln!("{error}\nTo apply them: gloss repair {}", file.display());
                worst = worst.max(1);
            }
            Err(error) => {
                eprintln!("{error}");
                worst = worst.max(2);
            }
        }
    }
    ExitCode::from(worst)
}

/// `gloss repair PROJECT [-o OUTPUT]`: applies the repairs `validate` lists, and saves.
fn repair_command(project_path: &Path, output: Option<&Path>) -> Result<ExitCode, String> {
    match load_project(project_path) {
        Ok(_) => {
            println!("{}: valid, nothing to repair", project_path.display());
            Ok(ExitCode::SUCCESS)
        }
        Err(ProjectFileError::Repairable { repairs, repaired, .. }) => {
            let output = output.unwrap_or(project_path);
            save_project(&repaired, output).map_err(|error| error.to_string())?;
            println!("{}: {} repair(s), saved {}", project_path.display(), repairs.len(), output.display());
            for repair in &repairs {
                println!("  {repair}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(error @ ProjectFileError::Invalid { .. }) => {
            eprintln!("{error}\nThese problems need a person: no repair was made.");
            Ok(ExitCode::from(1))
        }
        Err(error) => Err(error.to_string()),
    }
}

fn export_command(project_path: &Path, format: ExportFormat, output: &Path, kind: Option<Kind>) -> Result<ExitCode, String> {
    let project = load_project(project_path).map_err(|error| error.to_string())?;
    let mut sink = FileSink::new(output, format.layout());
    let report = export(&project, format, &ExportOptions { kind }, &mut sink, &mut NoProgress).map_err(|error| error.to_string())?;
    println!("{} export: wrote {} file(s) to {}", format, sink.written().len(), output.display());
    print_report(&format!("the {format} export"), &report);
    Ok(ExitCode::SUCCESS)
}

fn import_command(format: ImportFormat, inputs: &[PathBuf], output: &Path, options: ImportOptions) -> Result<ExitCode, String> {
    let mut project = if output.exists() {
        load_project(output).map_err(|error| error.to_string())?
    } else {
        let title = output.file_name().map_or_else(|| "Imported".to_owned(), |name| name.to_string_lossy().replace(".gloss.json", ""));
        Project::new(title)
    };
    let summary = import(&mut project, format, inputs, &options).map_err(|error| error.to_string())?;
    save_project(&project, output).map_err(|error| error.to_string())?;
    println!(
        "{format} import: {} document(s) added, {} merged into existing ones, {} annotation(s); saved {}",
        summary.documents_added,
        summary.documents_merged,
        summary.annotations_added,
        output.display()
    );
    print_report(&format!("the {format} import"), &summary.report);
    Ok(ExitCode::SUCCESS)
}

/// `gloss preannotate PROJECT [--gazetteer FILE]... [--list-label LABEL] [-o OUTPUT]`.
fn preannotate_command(
    project_path: &Path,
    gazetteers: &[PathBuf],
    list_label: Option<&str>,
    output: Option<&Path>,
) -> Result<ExitCode, String> {
    use crate::preannotate::{edits, load_gazetteer};
    let mut project = load_project(project_path).map_err(|error| error.to_string())?;
    for path in gazetteers {
        let gazetteer = load_gazetteer(path, list_label).map_err(|error| format!("{}: {error}", path.display()))?;
        println!("gazetteer “{}”: {} terms", gazetteer.name, gazetteer.entries.len());
        let mut rules = project.rules.clone();
        rules.gazetteers.retain(|other| other.name != gazetteer.name);
        rules.gazetteers.push(gazetteer);
        let change = edits::set_rules(&project, rules, "Import gazetteer").map_err(|error| format!("{}: {error}", path.display()))?;
        change.apply(&mut project).map_err(|error| error.to_string())?;
    }
    let all: Vec<_> = project.documents.iter().map(|document| document.id.clone()).collect();
    let (run, added) = edits::run(&project, &all).map_err(|error| error.to_string())?;
    run.apply(&mut project).map_err(|error| error.to_string())?;
    let output = output.unwrap_or(project_path);
    save_project(&project, output).map_err(|error| error.to_string())?;
    println!("{added} new suggestion(s) in {} document(s); saved {}", run.edits.len(), output.display());
    Ok(ExitCode::SUCCESS)
}

fn print_report(what: &str, report: &LossReport) {
    if !report.is_empty() {
        eprintln!("gloss: {what} could not carry everything over:\n{report}");
    }
}

fn agree_command(reference: &Path, others: &[PathBuf], json: bool) -> Result<ExitCode, String> {
    let ours = load_project(reference).map_err(|error| error.to_string())?;
    let ours_name = crate::review::compare::main_author(&ours).unwrap_or_else(|| "A".to_owned());
    let colleagues =
        others.iter().map(|path| Colleague::load(&ours, path).map_err(|error| error.to_string())).collect::<Result<Vec<_>, _>>()?;
    let pairs: Vec<AgreementReport> = colleagues.iter().map(|colleague| agreement(&ours, &ours_name, colleague)).collect();
    let group = (colleagues.len() >= 2).then(|| group_agreement(&ours, &ours_name, &colleagues));
    if json {
        let value = match (&pairs[..], &group) {
            ([single], None) => serde_json::to_value(single),
            (_, group) => serde_json::to_value(serde_json::json!({ "pairs": pairs, "group": group })),
        }
        .map_err(|error| error.to_string())?;
        println!("{}", serde_json::to_string_pretty(&value).map_err(|error| error.to_string())?);
    } else {
        for report in &pairs {
            print!("{}", crate::review::report::format_report(report));
        }
        if let Some(group) = &group {
            print!("{}", crate::review::report::format_group(group));
        }
    }
    for colleague in &colleagues {
        for compared in &colleague.documents {
            for unplaced in &compared.unplaced {
                eprintln!(
                    "gloss: {}'s annotation {} could not be placed: {}",
                    colleague.annotator, unplaced.annotation.id, unplaced.reason
                );
            }
        }
        for document in &colleague.unmatched {
            eprintln!("gloss: {}'s document {document} matches none of {}", colleague.annotator, reference.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `gloss merge BASE OURS THEIRS [-o OUTPUT]`: merges, writes the result atomically and prints a
/// one-line summary (and every conflict settled by keeping ours) on stderr.
fn merge_command(base: &Path, ours: &Path, theirs: &Path, output: Option<&Path>) -> Result<ExitCode, String> {
    let load = |path: &Path| load_project(path).map_err(|error| error.to_string());
    let merged = crate::merge::three_way(&load(base)?, &load(ours)?, &load(theirs)?);
    let problems = merged.project.check_invariants();
    if !problems.is_empty() {
        let listed: Vec<String> = problems.iter().map(|problem| format!("  {problem}")).collect();
        return Err(format!(
            "the merge of {} and {} breaks the project's rules; nothing was written:\n{}",
            ours.display(),
            theirs.display(),
            listed.join("\n")
        ));
    }
    let output = output.unwrap_or(ours);
    save_project(&merged.project, output).map_err(|error| error.to_string())?;
    let summary = &merged.summary;
    eprintln!(
        "gloss merge: {} annotation change(s) from ours, {} from theirs, {} conflict(s) flagged, {} settled by keeping ours",
        summary.from_ours,
        summary.from_theirs,
        summary.flagged,
        summary.kept_ours.len()
    );
    for line in &summary.kept_ours {
        eprintln!("  {line}");
    }
    Ok(if summary.is_clean() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn stats_command(project_path: &Path, format: StatsFormat) -> Result<ExitCode, String> {
    let project = load_project(project_path).map_err(|error| error.to_string())?;
    let stats = ProjectStats::of(&project);
    match format {
        StatsFormat::Table => print_stats_table(&stats),
        StatsFormat::Json => println!("{}", serde_json::to_string_pretty(&stats).map_err(|error| error.to_string())?),
        StatsFormat::Csv => stats.write_csv(std::io::stdout().lock()).map_err(|error| format!("cannot write the CSV: {error}"))?,
    }
    Ok(ExitCode::SUCCESS)
}

fn print_stats_table(stats: &ProjectStats) {
    for document in &stats.documents {
        println!("{} ({}, {}, {} characters)", document.title, document.id, document.status.title(), document.characters);
        print_counts(&document.counts);
    }
    if stats.documents.len() > 1 {
        println!("All {} documents ({} done)", stats.documents.len(), stats.progress.done);
        print_counts(&stats.total);
    }
}

fn print_counts(counts: &crate::stats::Counts) {
    println!("  {:>6}  annotations", counts.annotations);
    for (kind, count) in &counts.kinds {
        println!("  {count:>6}  {kind}");
    }
    for (label, count) in &counts.labels {
        println!("  {count:>6}    {label}");
    }
}
