//! What the benches share: reading the process's memory from /proc.

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
