//! The batch pipeline: source → extract → copies → stories → coverage → report, in memory.
//!
//! Input: paths. Output: a [`Report`]. `analyze` uses it; `ingest` runs the same stages batch
//! by batch against the store (see [`crate::store`]). Extraction, the costly stage, runs on all
//! cores; every later stage sees articles in input order, so the result does not depend on
//! which thread finished first.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::copies;
use crate::coverage;
use crate::extract::{self, corpus, Article, CorpusLines, LineStats};
use crate::report::{Report, ReportArticle, ReportStory, VERSION};
use crate::source::{InputError, Limits, MediaType, RawPage, Source};
use crate::stories;

/// Called as work is done, to drive a progress bar: (done, total).
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Sync);

pub fn no_progress(_: u64, _: u64) {}

#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub limits: Limits,
    pub threads: usize,
    /// The story clusterer's parameters (the learned defaults; the learning tools vary them).
    pub stories: stories::Params,
}

impl Default for Options {
    fn default() -> Self {
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1);
        Options {
            limits: Limits::default(),
            threads,
            stories: stories::Params::default(),
        }
    }
}

/// Reads every page under `paths` and builds the whole report in memory.
pub fn analyze<P: AsRef<str>>(paths: &[P], options: Options, progress: Progress) -> Report {
    let mut pages = Vec::new();
    let mut errors = Vec::new();
    let mut source = Source::new(paths, options.limits);
    for item in source.by_ref() {
        match item {
            Ok(p) => pages.push(p),
            Err(e) => errors.push(e),
        }
    }
    let stats = corpus_lines(&pages);
    let extracted = extract_all(&pages, &stats, options.threads, progress);
    let mut articles = Vec::new();
    let mut seen = HashSet::new();
    for (page, result) in pages.iter().zip(extracted) {
        match result {
            Ok(a) if seen.insert(a.id.clone()) => articles.push(a),
            Ok(_) => {} // the same page given twice: one article
            Err(e) => errors.push(InputError::new(&page.origin, e.to_string())),
        }
    }
    let mut report = assemble_with(articles, errors, options.stories);
    report.skipped = source.skipped().to_vec();
    report
}

/// Line statistics over the flat-text pages of a batch.
pub fn corpus_lines(pages: &[RawPage]) -> CorpusLines {
    let mut stats = CorpusLines::default();
    for p in pages.iter().filter(|p| p.media == MediaType::Text) {
        let text = String::from_utf8_lossy(&p.bytes);
        let (key, hashes) = corpus::page_lines(&text);
        stats.observe(key, &hashes);
    }
    stats
}

/// Stack for extraction threads: the HTML parser and extractor recurse with the page's nesting.
const EXTRACT_STACK: usize = 256 * 1024 * 1024;

/// Extracts pages on `threads` threads, keeping input order.
pub fn extract_all(
    pages: &[RawPage],
    stats: &(dyn LineStats + Sync),
    threads: usize,
    progress: Progress,
) -> Vec<Result<Article, extract::ExtractError>> {
    let total = pages.len() as u64;
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<Article, extract::ExtractError>>>> =
        Mutex::new((0..pages.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..threads.clamp(1, 64) {
            // Parsing and extraction recurse over the DOM; deeply nested pages need a deep stack.
            let worker = std::thread::Builder::new().stack_size(EXTRACT_STACK);
            let spawned = worker.spawn_scoped(s, || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= pages.len() {
                    break;
                }
                let r = extract::extract(&pages[i], stats);
                let mut slots = results.lock().unwrap_or_else(|e| e.into_inner());
                slots[i] = Some(r);
                // Counted and reported under the lock, so the count a reader sees only rises.
                let d = done.fetch_add(1, Ordering::Relaxed) as u64 + 1;
                progress(d, total);
                drop(slots);
            });
            if spawned.is_err() {
                break; // fewer threads; the ones running take the rest
            }
        }
    });
    let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results
        .into_iter()
        .map(|r| r.unwrap_or(Err(extract::ExtractError::NoText("extraction did not run"))))
        .collect()
}

/// Runs copies, stories and coverage over extracted articles, in their order.
pub fn assemble(articles: Vec<Article>, errors: Vec<InputError>) -> Report {
    assemble_with(articles, errors, stories::Params::default())
}

/// [`assemble`] with the story clusterer's parameters given.
pub fn assemble_with(
    articles: Vec<Article>,
    errors: Vec<InputError>,
    params: stories::Params,
) -> Report {
    let items: Vec<(copies::Meta, String)> = articles
        .iter()
        .map(|a| (copies::meta_of(a), a.text()))
        .collect();
    let (family_of, families) = copies::detect(&items);
    drop(items);

    // Stories: each family is one unit, read through its original, in order of its first
    // member's arrival (publication time where known, as a stream would see it).
    let index_of: HashMap<&str, usize> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let family: HashMap<&str, &copies::Family> =
        families.iter().map(|f| (f.id.as_str(), f)).collect();
    let published: Vec<Option<&str>> = articles.iter().map(|a| a.published.as_deref()).collect();
    let mut clusterer = stories::Clusterer::new(params);
    // No store keeps this run's clusterer: nothing to record for one.
    clusterer.set_tracking(false);
    // A unit is its family, read through its original.
    let original_of = |f: &copies::Family| index_of.get(f.original.as_str()).map(|&i| &articles[i]);
    fn unit<'a>(key: &'a str, a: Option<&'a Article>, text: &'a str) -> stories::Unit<'a> {
        stories::Unit {
            key,
            title: a.and_then(|a| a.title.as_deref()),
            text,
            published: a.and_then(|a| a.published.as_deref()),
            language: a.and_then(|a| a.language.as_deref()),
        }
    }
    let mut assigned: Vec<(&str, String)> = Vec::with_capacity(families.len());
    for id in stories::families_in_arrival_order(&published, &family_of) {
        let Some(f) = family.get(id) else { continue };
        let original = original_of(f);
        let text = original.map(|a| a.text()).unwrap_or_default();
        assigned.push((&f.id, clusterer.add(&unit(&f.id, original, &text)).story));
    }
    // The batch is the whole stream: every unit has settled.
    clusterer.close();
    // Short texts (headlines) gather into the pieces their words point to.
    let originals: Vec<(Option<&Article>, String)> = assigned
        .iter()
        .map(|(f, _)| {
            let original = family.get(f).and_then(|f| original_of(f));
            (original, original.map(|a| a.text()).unwrap_or_default())
        })
        .collect();
    clusterer.refine(
        assigned
            .iter()
            .zip(&originals)
            .map(|((f, story), (a, text))| (unit(f, *a, text), story.as_str())),
    );
    let mut story_of_family: HashMap<String, String> = HashMap::new();
    let mut story_order: Vec<String> = Vec::new();
    let mut story_families: HashMap<String, Vec<String>> = HashMap::new();
    for (f, story) in assigned {
        let story = clusterer.story_of(f, &story).to_string();
        story_of_family.insert(f.to_string(), story.clone());
        if !story_families.contains_key(&story) {
            story_order.push(story.clone());
        }
        story_families.entry(story).or_default().push(f.to_string());
    }

    let report_articles: Vec<ReportArticle> = articles
        .iter()
        .zip(&family_of)
        .map(|(a, f)| ReportArticle::new(a, f, &story_of_family[f]))
        .collect();

    let mut arts_of: HashMap<&str, Vec<&ReportArticle>> = HashMap::new();
    for a in &report_articles {
        arts_of.entry(a.story.as_str()).or_default().push(a);
    }
    // Stories are covered independently of one another, on the machine's cores.
    let stories = coverage::par_map(&story_order, |_: &mut (), sid| {
        let fams = &story_families[sid];
        let arts: &[&ReportArticle] = arts_of.get(sid.as_str()).map_or(&[], Vec::as_slice);
        let state = clusterer.story(sid);
        let title = state.and_then(|s| s.title.as_ref().map(|t| t.0.clone()));
        let originals: Vec<&str> = fams
            .iter()
            .filter_map(|f| family.get(f.as_str()).map(|f| f.original.as_str()))
            .collect();
        story_entry(sid, title, arts, fams, &originals)
    });
    Report {
        version: VERSION,
        articles: report_articles,
        families,
        stories,
        errors,
        skipped: Vec::new(),
    }
}

/// A story's report entry from its articles and families.
pub fn story_entry(
    id: &str,
    title: Option<String>,
    arts: &[&ReportArticle],
    fams: &[String],
    originals: &[&str],
) -> ReportStory {
    let mut days: Vec<&str> = arts
        .iter()
        .filter_map(|a| stories::span_date(a.published.as_deref()))
        .collect();
    days.sort_unstable();
    let pieces: Vec<coverage::Piece> = arts
        .iter()
        .map(|a| coverage::Piece {
            article: &a.id,
            family: &a.family,
            original: originals.contains(&a.id.as_str()),
            outlet: a.outlet.as_deref(),
            published: a.published.as_deref(),
            text: &a.text,
        })
        .collect();
    let cov = coverage::cover(fams, &pieces);
    ReportStory {
        id: id.to_string(),
        title,
        articles: arts.iter().map(|a| a.id.clone()).collect(),
        families: fams.to_vec(),
        independent_sources: cov.independent_sources,
        synthetic_sources: cov.synthetic_sources,
        first_published: days.first().map(|d| d.to_string()),
        last_published: days.last().map(|d| d.to_string()),
        // The names the story's sources write most, as coverage folds them (one entry per
        // person, no outlets, datelines or role words): the clusterer's own labels are raw
        // capitalised runs ("Transport Minister Tomasz Welk", "Kestrel Wire").
        key_names: cov.names.iter().take(8).map(|n| n.name.clone()).collect(),
        sources: cov.sources,
        quotes: cov.quotes,
        names: cov.names,
        conflicts: cov.conflicts,
        summary: cov.summary,
        only_in: cov.only_in,
        timeline: cov.timeline,
    }
}

/// What an ingest did.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct IngestSummary {
    pub pages_read: usize,
    pub articles_added: usize,
    /// Added articles that joined a stored family as a copy.
    pub copies: usize,
    /// Added articles that became the original of a stored family (its copies came first).
    pub originals_of_copies: usize,
    /// Pages already in the store (or given twice), which add nothing.
    pub duplicates: usize,
    pub errors: Vec<InputError>,
    /// Pages that were read only in part (longer than the read cap): origin and note.
    pub cut: Vec<(String, String)>,
    /// Files in the folders read that are not pages: passed over.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<String>,
}

/// Pages per transaction: large enough to amortise the commit, small enough that a crash loses
/// little work and that memory stays bounded.
pub const INGEST_BATCH: usize = 256;

/// Streams pages into the store batch by batch (see [`crate::store`] for why it is idempotent),
/// then closes the stream as `analyze` does ([`crate::store::Store::close_stream`]).
pub fn ingest<P: AsRef<str>>(
    store: &mut crate::store::Store,
    paths: &[P],
    options: Options,
    progress: &dyn Fn(&IngestSummary),
) -> Result<IngestSummary, crate::store::StoreError> {
    let source = Source::new(paths, options.limits);
    ingest_source(store, source, options, progress)
}

/// [`ingest`] from pages that come from elsewhere than paths (a request's records).
pub fn ingest_source(
    store: &mut crate::store::Store,
    mut source: Source,
    options: Options,
    progress: &dyn Fn(&IngestSummary),
) -> Result<IngestSummary, crate::store::StoreError> {
    let mut summary = IngestSummary::default();
    let since = store.stream_mark()?;
    loop {
        let items: Vec<_> = source.by_ref().take(INGEST_BATCH).collect();
        if items.is_empty() {
            break;
        }
        let mut pages = Vec::new();
        let mut input_errors = Vec::new();
        for item in items {
            match item {
                Ok(p) => pages.push(p),
                Err(e) => input_errors.push(e),
            }
        }
        summary.pages_read += pages.len();
        let batch_lines: Vec<(u64, Vec<u64>)> = pages
            .iter()
            .filter(|p| p.media == MediaType::Text)
            .map(|p| corpus::page_lines(&String::from_utf8_lossy(&p.bytes)))
            .collect();
        let mut wanted: Vec<u64> = batch_lines
            .iter()
            .flat_map(|(_, h)| h.iter().copied())
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        let stats = crate::store::merge_stats(store.chrome_lines(&wanted)?, &batch_lines);

        let mut fresh = Vec::new();
        let mut keys = Vec::new();
        let mut seen = HashSet::new();
        for p in pages {
            let key = crate::store::page_key(p.key_name(), &p.bytes);
            // Stores written before files were keyed by their absolute path knew a page by
            // its origin as given on the command line.
            let legacy =
                (p.key_name() != p.origin).then(|| crate::store::page_key(&p.origin, &p.bytes));
            let stored =
                store.has_page(&key)? || legacy.map_or(Ok(false), |k| store.has_page(&k))?;
            if !seen.insert(key.clone()) || stored {
                summary.duplicates += 1;
                continue;
            }
            keys.push(key);
            fresh.push(p);
        }
        let extracted = extract_all(&fresh, &stats, options.threads, &no_progress);
        let mut articles = Vec::new();
        let mut failures = Vec::new();
        for ((page, key), result) in fresh.iter().zip(keys).zip(extracted) {
            match result {
                Ok(a) => articles.push((key, a)),
                Err(e) => failures.push((key, InputError::new(&page.origin, e.to_string()))),
            }
        }
        for (_, a) in &articles {
            for n in a.notes.iter().filter(|n| crate::extract::is_cut_note(n)) {
                summary.cut.push((a.origin.clone(), n.clone()));
            }
        }
        let count = store.write_batch(&stats, &articles, &failures, &input_errors)?;
        summary.articles_added += count.added;
        summary.copies += count.copies;
        summary.originals_of_copies += count.originals_of_copies;
        summary.duplicates += count.already_stored;
        summary.errors.extend(input_errors);
        summary.errors.extend(failures.into_iter().map(|(_, e)| e));
        progress(&summary);
    }
    summary.skipped = source.skipped().to_vec();
    // An ingest is a closed batch, as `analyze` is: it ends the same way.
    store.close_stream(since)?;
    Ok(summary)
}
