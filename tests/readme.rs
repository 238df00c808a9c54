//! The README's example outputs stay true: every `$ storyline ...` line in its code blocks is run
//! (in order, from the repository, with the store and report files in a temporary folder) and
//! what it prints is compared with the lines under it, `...` standing for any lines left out.

use assert_cmd::Command;

/// One command of a README block and the output shown under it.
struct Example {
    args: Vec<String>,
    expected: Vec<String>,
}

fn examples(readme: &str) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    let mut in_block = false;
    // Whether the block being read has had a command: its other lines are that command's.
    let mut current = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_block = !in_block;
            current = false;
            continue;
        }
        if !in_block {
            continue;
        }
        if let Some(cmd) = line.strip_prefix("$ storyline ") {
            out.push(Example {
                args: cmd.split_whitespace().map(str::to_string).collect(),
                expected: Vec::new(),
            });
            current = true;
        } else if current {
            if let Some(e) = out.last_mut() {
                e.expected.push(line.trim_end().to_string());
            }
        }
    }
    out
}

/// Whether `actual` shows `expected`, where a `...` line stands for any number of lines.
fn shows(expected: &[String], actual: &[&str]) -> Result<(), String> {
    let mut a = 0;
    let mut skipping = false;
    for e in expected {
        if e == "..." {
            skipping = true;
            continue;
        }
        if skipping {
            match actual[a..].iter().position(|l| l == e) {
                Some(p) => a += p + 1,
                None => return Err(format!("line not found after line {a}: {e}")),
            }
        } else {
            match actual.get(a) {
                Some(l) if l == e => a += 1,
                Some(l) => return Err(format!("line {}: expected\n  {e}\ngot\n  {l}", a + 1)),
                None => return Err(format!("output ended before: {e}")),
            }
        }
        skipping = false;
    }
    if !skipping && a < actual.len() && !expected.is_empty() {
        return Err(format!(
            "more output than shown, from line {}: {}",
            a + 1,
            actual[a]
        ));
    }
    Ok(())
}

#[test]
fn the_readme_shows_what_storyline_prints() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let all = examples(&readme);
    assert!(all.len() >= 6, "{} examples found", all.len());
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path().display().to_string();
    for ex in &all {
        // Files the examples write go to the temporary folder.
        let args: Vec<String> = ex
            .args
            .iter()
            .map(|a| match a.as_str() {
                "news.db" | "report.json" => format!("{tmp}/{a}"),
                _ => a.clone(),
            })
            .collect();
        let out = Command::cargo_bin("storyline")
            .unwrap()
            .env_remove("STORYLINE_DB")
            .args(&args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "storyline {}: {}",
            ex.args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout).replace(&format!("{tmp}/"), "");
        let lines: Vec<&str> = stdout.lines().map(str::trim_end).collect();
        if let Err(e) = shows(&ex.expected, &lines) {
            panic!("README: storyline {}\n{e}", ex.args.join(" "));
        }
    }
}

#[test]
fn an_elided_example_matches_only_what_it_shows() {
    let e = |s: &str| s.lines().map(str::to_string).collect::<Vec<_>>();
    assert!(shows(&e("a\n...\nd"), &["a", "b", "c", "d"]).is_ok());
    assert!(shows(&e("a\n..."), &["a", "b"]).is_ok());
    assert!(shows(&e("a\nb"), &["a", "b", "c"]).is_err());
    assert!(shows(&e("a\nc"), &["a", "b", "c"]).is_err());
    assert!(shows(&e("...\nz"), &["a", "b"]).is_err());
}
