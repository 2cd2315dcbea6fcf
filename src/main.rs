//! The `pdao` binary: everything lives in the library.

/// Parsing documents and loading the pack make many small, short-lived allocations, which
/// mimalloc serves faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    pdao::cli::main()
}
