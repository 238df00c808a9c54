//! What the benches share: their arguments, and the process's memory from /proc.

/// A field of /proc/self/status in KiB (`VmRSS:`, `VmHWM:`), where Linux gives it.
pub fn proc_status_kib(field: &str) -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// The bench's own arguments: what follows `--`, without the `--bench` flag cargo adds.
pub fn args() -> Vec<String> {
    std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect()
}
