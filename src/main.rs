//! The `storyline` binary: parses the command line and hands it to the library.

use clap::Parser;
use std::process::ExitCode;

// The parser allocates many small nodes; mimalloc is measurably faster at that than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = storyline::cli::Cli::parse();
    match storyline::cli::run(cli) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("storyline: error: {e:#}");
            if e.downcast_ref::<storyline::UsageError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
