use std::process::ExitCode;

use clap::Parser;

// Many small allocations from many threads (GraphQL values, rows, JSON): mimalloc spends less
// time in them than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = jiandu_api::cli::Cli::parse();
    match jiandu_api::cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
