//! The command line: argument definitions and one function per command. Each command is a thin
//! caller of the library (pipeline, store, report, eval); what it adds is argument handling,
//! progress on a terminal, output formats and exit codes (0 ok, 1 failure, 2 bad usage).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};

use crate::pipeline::{self, Options};
use crate::report::text::count;
use crate::report::{self, Report};
use crate::source::Limits;
use crate::store::Store;

const ABOUT: &str =
    "Turns a pile or a stream of news pages into stories: which articles are copies of which, \
which sources are independent, what they agree on and where they contradict each other.";

const STAGES_NOTE: &str =
    "A family groups an original with its copies (exact, near-duplicate, spun and rewritten), \
with the aligned sentences and swapped words as evidence; families gather into stories as they \
arrive; and each story's coverage counts independent sources (families, not articles): a \
consensus summary with the sources of each sentence, facts only one source reports, quotes with \
speakers, names with roles, conflicting names, roles, numbers and dates, and a timeline.";

#[derive(Parser, Debug)]
#[command(name = "storyline", version, about = ABOUT, long_about = format!("{ABOUT}\n\n{STAGES_NOTE}"))]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    Json,
    Text,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ListFormat {
    Table,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ShowFormat {
    Text,
    Json,
    Html,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Colour {
    /// Colours when standard output is a terminal and NO_COLOR is not set.
    Auto,
    Always,
    Never,
}

impl Colour {
    fn marks(self) -> report::text::Marks {
        let on = match self {
            Colour::Always => true,
            Colour::Never => false,
            Colour::Auto => {
                std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        };
        if on {
            report::text::Marks::Colour
        } else {
            report::text::Marks::Plain
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Task {
    Stories,
    Copies,
    Text,
    /// Who said what: the shipped attribution tagger on a PolNeAR-style split directory
    /// (`--gold DIR` with `text/` and `attributions/`); no report is read.
    Quotes,
}

#[derive(clap::Args, Debug)]
pub struct ReadArgs {
    /// Files (.html, .htm, .html.gz, .txt, .jsonl, optionally .gz), folders (read recursively,
    /// in name order) or `-` for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// Bytes read of one page at most; longer pages are cut (and say so in their `notes`).
    #[arg(long, default_value_t = 8 * 1024 * 1024, value_name = "BYTES")]
    pub max_page_bytes: usize,
    /// Threads for extraction (default: all cores).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

impl ReadArgs {
    fn options(&self) -> Options {
        let mut o = Options {
            limits: Limits {
                max_page_bytes: self.max_page_bytes.max(1024),
            },
            ..Options::default()
        };
        if let Some(t) = self.threads {
            o.threads = t.max(1);
        }
        o
    }
}

#[derive(clap::Args, Debug)]
pub struct DbArg {
    /// The store [default: $STORYLINE_DB, else ./storyline.db]
    #[arg(
        long,
        env = "STORYLINE_DB",
        default_value = "storyline.db",
        hide_default_value = true,
        value_name = "FILE"
    )]
    pub db: PathBuf,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Reads pages and prints the report, in memory (no store).
    #[command(
        long_about = format!("Reads pages and prints the coverage report (contract v1, see DESIGN.md), in memory: nothing is stored.\n\n{STAGES_NOTE}"),
        after_help = "Example:\n  storyline analyze examples/ --format text\n  storyline analyze pages/ --out report.json\n\nBad pages are skipped and listed under `errors`; the exit code is 1 only when nothing could be read."
    )]
    Analyze {
        #[command(flatten)]
        read: ReadArgs,
        #[arg(long, value_enum, default_value_t = ReportFormat::Json)]
        format: ReportFormat,
        /// Write the report here instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Adds pages to the store; pages already stored add nothing.
    #[command(
        after_help = "Example:\n  storyline ingest examples/ --db news.db\n  cat feed.jsonl | storyline ingest - \n\nShows progress on a terminal; ends with one summary line."
    )]
    Ingest {
        #[command(flatten)]
        read: ReadArgs,
        #[command(flatten)]
        db: DbArg,
        /// `json` prints the summary as JSON, errors included.
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// Lists the stories in the store, newest first.
    #[command(
        after_help = "Example:\n  storyline stories --db news.db\n  storyline stories --format json | jq '.[0].id'"
    )]
    Stories {
        #[command(flatten)]
        db: DbArg,
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        /// How many stories at most.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Shows one story (any unique prefix of its id).
    #[command(
        after_help = "Example:\n  storyline show 3fa4 --db news.db\n  storyline show 3fa4c2d1e0b79a55 --format html > story.html\n\nEach copy is listed with its similarity and swapped words; the HTML page reads every copy against its original."
    )]
    Show {
        story: String,
        #[command(flatten)]
        db: DbArg,
        #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
        format: ShowFormat,
        /// Colours in text output (swapped words red → green).
        #[arg(long, value_enum, default_value_t = Colour::Auto)]
        color: Colour,
    },
    /// Shows one article as extracted (any unique prefix of its id), with what was cut; a copy is
    /// read against its family's original.
    #[command(
        after_help = "Example:\n  storyline article 9c1e --db news.db\n  storyline article 9c1e --format html > copy.html\n\nIn text output without colours, changes are marked as git's word diff does: [-original words-]{+copy words+}."
    )]
    Article {
        article: String,
        #[command(flatten)]
        db: DbArg,
        #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
        format: ShowFormat,
        /// Colours in text output (words of the original struck out in red, the copy's in green).
        #[arg(long, value_enum, default_value_t = Colour::Auto)]
        color: Colour,
    },
    /// Serves the store over HTTP: a JSON API to post articles and read stories, and pages.
    #[command(
        after_help = "Example:\n  storyline serve --db news.db\n  storyline serve --addr 0.0.0.0:7878 --token \"$SECRET\"\n  curl -X POST localhost:7878/api/articles -d '{\"url\": \"https://example.test/a\", \"text\": \"...\"}'\n\nReads: GET /, /stories/ID, /articles/ID (pages); /api/stories, /api/stories/ID, /api/articles/ID, /healthz. Writes: POST /api/articles (a JSON object, an array, or JSON lines), with `Authorization: Bearer TOKEN` when a token is set."
    )]
    Serve {
        #[command(flatten)]
        db: DbArg,
        /// Where to listen; port 0 takes a free one (the address is printed).
        #[arg(long, default_value = "127.0.0.1:7878", value_name = "HOST:PORT")]
        addr: std::net::SocketAddr,
        /// Writes need `Authorization: Bearer TOKEN`; required to listen beyond loopback.
        #[arg(
            long,
            env = "STORYLINE_TOKEN",
            hide_env_values = true,
            value_name = "TOKEN"
        )]
        token: Option<String>,
        /// Largest request body, in bytes.
        #[arg(long, default_value_t = 32 * 1024 * 1024, value_name = "BYTES")]
        max_body_bytes: usize,
    },
    /// Scores a report against gold labels (as ../shared/eval/score.py does).
    #[command(
        after_help = "Example:\n  storyline analyze data/ecbplus/articles.jsonl --out r.json\n  storyline eval --gold data/ecbplus/gold.jsonl r.json --task stories\n  storyline eval --task text --gold aeb/gold.jsonl aeb.json --check 'shingle4.F1_of_means>=0.955'\n  storyline eval --task quotes --gold polnear/test --check 'content.F1>=0.30'\n\nFor `text`, the report may also be JSON lines with `id` and `text`."
    )]
    Eval {
        /// Gold labels: JSON lines for stories and text, a JSON object for copies.
        #[arg(long, value_name = "GOLD")]
        gold: PathBuf,
        /// The report to score (not used by `--task quotes`).
        #[arg(value_name = "REPORT")]
        report: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Task::Stories)]
        task: Task,
        /// Fail (exit 1) unless a metric meets a bound, e.g. `words.mean_F1>=0.93`; repeatable.
        #[arg(long, value_name = "METRIC>=VALUE")]
        check: Vec<String>,
        /// Score only the gold records with this field value, e.g. `page_type=article` (text) or
        /// `split=test` (stories).
        #[arg(long = "where", value_name = "KEY=VALUE")]
        filter: Option<String>,
    },
}

/// A progress bar on a terminal, nothing when stderr is piped.
fn progress_bar(what: &str) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(0);
    let style = indicatif::ProgressStyle::with_template(&format!(
        "{{spinner}} {what} {{pos}}/{{len}} pages [{{elapsed}}] {{msg}}"
    ))
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

/// One line for the files a folder walk passed over, naming a few.
fn skipped_note(skipped: &[String]) {
    if skipped.is_empty() {
        return;
    }
    let mut names: Vec<String> = skipped
        .iter()
        .take(3)
        .map(|s| crate::text::printable(s).into_owned())
        .collect();
    if skipped.len() > 3 {
        names.push(format!("and {} more", skipped.len() - 3));
    }
    eprintln!(
        "storyline: note: {} passed over, not pages storyline reads: {}",
        count(skipped.len(), "file", "files"),
        names.join(", ")
    );
}

fn write_out(out: Option<&PathBuf>, content: &str) -> Result<()> {
    match out {
        Some(path) => std::fs::write(path, content)
            .with_context(|| format!("cannot write {}", path.display())),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(content.as_bytes())
                .context("cannot write to standard output")?;
            stdout.flush().ok();
            Ok(())
        }
    }
}

/// Runs a command; `Ok(false)` means it ran but failed its purpose (exit 1).
pub fn run(cli: Cli) -> Result<bool> {
    match cli.command {
        Command::Analyze { read, format, out } => analyze(&read, format, out.as_ref()),
        Command::Ingest { read, db, format } => ingest(&read, &db.db, format),
        Command::Stories { db, format, limit } => stories(&db.db, format, limit),
        Command::Show {
            story,
            db,
            format,
            color,
        } => show(&story, &db.db, format, color),
        Command::Article {
            article: id,
            db,
            format,
            color,
        } => article(&id, &db.db, format, color),
        Command::Eval {
            gold,
            report,
            task,
            check,
            filter,
        } => eval(&gold, report.as_deref(), task, &check, filter.as_deref()),
        Command::Serve {
            db,
            addr,
            token,
            max_body_bytes,
        } => serve(db.db, addr, token, max_body_bytes),
    }
}

fn analyze(read: &ReadArgs, format: ReportFormat, out: Option<&PathBuf>) -> Result<bool> {
    let bar = progress_bar("extracting");
    let progress = |done: u64, total: u64| {
        bar.set_length(total);
        bar.set_position(done);
    };
    let report = pipeline::analyze(&read.paths, read.options(), &progress);
    bar.finish_and_clear();
    for e in &report.errors {
        eprintln!("storyline: skipped {e}");
    }
    for a in &report.articles {
        for n in a.notes.iter().filter(|n| crate::extract::is_cut_note(n)) {
            let origin = crate::text::printable(&a.origin);
            eprintln!("storyline: note: {origin}: {n}");
        }
    }
    skipped_note(&report.skipped);
    let rendered = match format {
        ReportFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
        ReportFormat::Text => {
            report::text::for_terminal(&report::text::report(&report)).into_owned()
        }
    };
    write_out(out, &rendered)?;
    if report.articles.is_empty() {
        eprintln!("storyline: no article could be read from the given paths");
        return Ok(false);
    }
    Ok(true)
}

fn open_store(db: &std::path::Path) -> Result<Store> {
    Ok(Store::open(db)?)
}

fn open_existing_store(db: &std::path::Path) -> Result<Store> {
    if !db.exists() {
        bail!("no store at {} (run `storyline ingest PATH --db {}` first, or set --db / STORYLINE_DB)", db.display(), db.display());
    }
    open_store(db)
}

fn ingest(read: &ReadArgs, db: &std::path::Path, format: ReportFormat) -> Result<bool> {
    // A new store is made only when there is a page to put in it: a first run on the wrong
    // folder leaves nothing behind. (Deleting an empty store afterwards could delete one that
    // another process had just begun to fill.) Standard input cannot be read twice, so it is
    // not looked at first.
    if !db.exists() && !read.paths.iter().any(|p| p == "-") {
        let mut source = crate::source::Source::new(&read.paths, read.options().limits);
        let mut errors = Vec::new();
        let found = source.by_ref().any(|item| match item {
            Ok(_) => true,
            Err(e) => {
                errors.push(e);
                false
            }
        });
        if !found {
            for e in &errors {
                eprintln!("storyline: skipped {e}");
            }
            skipped_note(source.skipped());
            eprintln!(
                "storyline: no page found in the given paths (storyline reads {}); no store was made at {}",
                crate::source::READS,
                db.display()
            );
            return Ok(false);
        }
    }
    ingest_into(read, db, format)
}

fn ingest_into(read: &ReadArgs, db: &std::path::Path, format: ReportFormat) -> Result<bool> {
    let mut store = open_store(db)?;
    let bar = progress_bar("ingesting");
    let progress = |s: &pipeline::IngestSummary| {
        bar.set_length(s.pages_read as u64);
        bar.set_position(s.pages_read as u64);
        bar.set_message(format!(
            "{} added, {}",
            s.articles_added,
            count(s.errors.len(), "error", "errors")
        ));
    };
    let summary = pipeline::ingest(&mut store, &read.paths, read.options(), &progress)?;
    bar.finish_and_clear();
    for e in &summary.errors {
        eprintln!("storyline: skipped {e}");
    }
    for (origin, note) in &summary.cut {
        let origin = crate::text::printable(origin);
        eprintln!("storyline: note: {origin}: {note}");
    }
    skipped_note(&summary.skipped);
    match format {
        ReportFormat::Json => write_out(None, &(serde_json::to_string_pretty(&summary)? + "\n"))?,
        ReportFormat::Text => {
            let (articles, families, stories) = store.counts()?;
            write_out(
                None,
                &format!(
                    "{} read, {} added ({} of stored articles, {} of stored copies), {}, {}; the store {} now holds {} in {} and {}\n",
                    count(summary.pages_read, "page", "pages"),
                    count(summary.articles_added, "article", "articles"),
                    count(summary.copies, "copy", "copies"),
                    count(summary.originals_of_copies, "original", "originals"),
                    count(summary.duplicates, "duplicate", "duplicates"),
                    count(summary.errors.len(), "error", "errors"),
                    db.display(),
                    count(articles, "article", "articles"),
                    count(families, "family", "families"),
                    count(stories, "story", "stories")
                ),
            )?
        }
    }
    if summary.pages_read == 0 {
        eprintln!(
            "storyline: no page found in the given paths (storyline reads {})",
            crate::source::READS
        );
    } else if summary.articles_added + summary.duplicates == 0 {
        eprintln!("storyline: no article could be read from the given paths");
    }
    // As `analyze`: a run that read no article failed its purpose.
    Ok(summary.articles_added + summary.duplicates > 0)
}

fn stories(db: &std::path::Path, format: ListFormat, limit: usize) -> Result<bool> {
    let store = open_existing_store(db)?;
    let rows = store.stories(limit)?;
    let out = match format {
        ListFormat::Json => serde_json::to_string_pretty(&rows)? + "\n",
        ListFormat::Table => {
            let mut s = format!(
                "{:<16}  {:>8}  {:>7}  {:<10}  {}\n",
                "STORY", "ARTICLES", "SOURCES", "LATEST", "TITLE"
            );
            for r in &rows {
                let latest = r
                    .last_published
                    .as_deref()
                    .map(crate::extract::date::day_of)
                    .unwrap_or("-");
                let title = r.title.as_deref().unwrap_or("-");
                let title =
                    crate::extract::shortened(title, 80).unwrap_or_else(|| title.to_string());
                s.push_str(&format!(
                    "{:<16}  {:>8}  {:>7}  {:<10}  {}\n",
                    r.id, r.articles, r.independent_sources, latest, title
                ));
            }
            report::text::for_terminal(&s).into_owned()
        }
    };
    write_out(None, &out)?;
    Ok(true)
}

fn show(id: &str, db: &std::path::Path, format: ShowFormat, color: Colour) -> Result<bool> {
    let store = open_existing_store(db)?;
    let report: Report = store.story_report(id)?;
    let story = &report.stories[0];
    let out = match format {
        ShowFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
        ShowFormat::Text => {
            report::text::for_terminal(&report::text::story(&report, story, color.marks()))
                .into_owned()
        }
        ShowFormat::Html => report::html::story(&report, story),
    };
    write_out(None, &out)?;
    Ok(true)
}

fn article(id: &str, db: &std::path::Path, format: ShowFormat, color: Colour) -> Result<bool> {
    let store = open_existing_store(db)?;
    let v = store.article_view(id)?;
    let out = match format {
        ShowFormat::Json => serde_json::to_string_pretty(&v)? + "\n",
        ShowFormat::Text => {
            report::text::for_terminal(&report::text::article(&v, color.marks())).into_owned()
        }
        ShowFormat::Html => report::html::article(&v),
    };
    write_out(None, &out)?;
    Ok(true)
}

fn serve(
    db: PathBuf,
    addr: std::net::SocketAddr,
    token: Option<String>,
    max_body_bytes: usize,
) -> Result<bool> {
    let config = crate::serve::Config {
        db,
        addr,
        token: token.filter(|t| !t.is_empty()),
        max_body_bytes,
        options: Options::default(),
    };
    let result = crate::serve::run(config, |bound| {
        eprintln!("storyline: serving http://{bound}/ (Ctrl-C to stop)");
    });
    match result {
        Err(e @ crate::serve::ServeError::OpenWithoutToken(_)) => {
            Err(crate::UsageError(e.to_string()).into())
        }
        other => other.map(|()| true).map_err(Into::into),
    }
}

fn eval(
    gold: &std::path::Path,
    report: Option<&std::path::Path>,
    task: Task,
    checks: &[String],
    filter: Option<&str>,
) -> Result<bool> {
    let filter = match filter {
        None => None,
        Some(f) => Some(
            f.split_once('=')
                .ok_or_else(|| crate::UsageError(format!("--where {f:?}: expected KEY=VALUE")))?,
        ),
    };
    let report = match (task, report) {
        (Task::Quotes, _) => std::path::Path::new(""),
        (_, Some(r)) => r,
        (_, None) => {
            return Err(crate::UsageError("eval: give the REPORT to score".into()).into());
        }
    };
    let scores = match task {
        Task::Quotes => crate::eval::quotes::score_split(gold)?,
        Task::Stories => crate::eval::score_stories(report, gold, filter)?,
        Task::Copies => crate::eval::score_copies(report, gold)?,
        Task::Text => crate::eval::score_text(report, gold, filter)?,
    };
    write_out(None, &(serde_json::to_string_pretty(&scores)? + "\n"))?;
    let mut ok = true;
    for spec in checks {
        match crate::eval::check(&scores, spec) {
            Ok((true, got)) => eprintln!("check passed: {spec} (got {got})"),
            Ok((false, got)) => {
                eprintln!("check FAILED: {spec} (got {got})");
                ok = false;
            }
            Err(e) => return Err(crate::UsageError(e).into()),
        }
    }
    Ok(ok)
}
