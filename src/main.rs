//! The `quire` command: parse the arguments, run, map the outcome to an exit code.

mod cli;

// Set here, not in the library: an embedding program keeps its own allocator.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
