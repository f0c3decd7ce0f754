//! The `quire` command: parse the arguments, run, map the outcome to an exit code.

mod cli;

// Set here, not in the library: an embedding program keeps its own allocator.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read when it starts: one arena. A conversion runs on a worker thread,
/// and by default that thread would get an arena of its own (and a batch one per thread),
/// each costing a one-page conversion fresh pages to set up; the per-thread caches, which
/// serve almost every allocation, stay.
#[cfg(all(target_os = "linux", not(target_env = "msvc")))]
#[export_name = "_rjem_malloc_conf"]
static MALLOC_CONF: &[u8; 10] = b"narenas:1\0";

fn main() -> std::process::ExitCode {
    cli::main()
}
