//! Links the `quire` binary as a position-dependent executable on Linux with the GNU C
//! library.
//!
//! Why: one conversion takes a few milliseconds, and as a position-independent executable
//! about a third of that went to the dynamic loader applying ~28,000 relocations and the
//! kernel copying the ~600 KB of pointer tables they touch (measured with `perf stat` on
//! `quire --version`: 2.5 ms and 358 page faults as PIE, 1.5 ms and 210 without). The code
//! stays position-independent; only the executable's own load address is fixed, and the
//! shared libraries it loads are still placed at random. The library crate and the test
//! binaries are not affected.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
