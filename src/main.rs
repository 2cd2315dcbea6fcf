//! The `pdao` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    pdao::cli::main()
}
