//! What the end-to-end tests share: the binary, and its JSON output read with its failure shown.

use assert_cmd::Command;
use serde_json::Value;

/// The binary, without a store chosen by the environment.
pub fn storyline() -> Command {
    let mut c = Command::cargo_bin("storyline").unwrap();
    c.env_remove("STORYLINE_DB");
    c
}

/// The JSON a successful run printed; a failed run or other output fails the test with it.
pub fn json_of(out: &std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}
