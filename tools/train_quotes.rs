//! Trains the attribution tagger (`src/coverage/attribution.rs`) on PolNeAR.
//!
//! usage: cargo run --release --example train_quotes -- POLNEAR_DIR OUT.model [EPOCHS] [MIN_COUNT]
//!
//! Trains on `POLNEAR_DIR/train`, prints the dev scores after each epoch, and writes the model
//! of the last epoch. The test split is never read. The shipped model is
//! `src/coverage/attribution.model`, written by this tool with its default arguments.

use std::path::PathBuf;

use storyline::coverage::attribution::train;
use storyline::eval::quotes;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: train_quotes POLNEAR_DIR OUT.model [EPOCHS] [MIN_COUNT]");
        std::process::exit(2);
    }
    let dir = PathBuf::from(&args[0]);
    let epochs: usize = args.get(2).map_or(Ok(12), |s| s.parse())?;
    let min_count: usize = args.get(3).map_or(Ok(3), |s| s.parse())?;
    let train_docs = quotes::read_split(&dir.join("train"))?;
    let dev_docs = quotes::read_split(&dir.join("dev"))?;
    eprintln!(
        "train: {} annotation files, dev: {}",
        train_docs.len(),
        dev_docs.len()
    );
    let examples = quotes::examples(&train_docs);
    let model = train::train(&examples, epochs, min_count, |epoch, m| {
        let s = quotes::score(m, &dev_docs);
        eprintln!(
            "epoch {epoch}: dev F1 source {} cue {} content {}, direct speaker {}",
            s["source"]["F1"], s["cue"]["F1"], s["content"]["F1"], s["direct_speaker_accuracy"]
        );
    });
    let bytes = model.to_bytes();
    std::fs::write(&args[1], &bytes)?;
    eprintln!("wrote {} ({} bytes)", args[1], bytes.len());
    Ok(())
}
