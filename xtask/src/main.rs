//! Project automation: `cargo xtask <command>` (see `xtask::help`).

use std::process::ExitCode;

use xtask::{codegen, corpus, help, test};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(command) = args.first().filter(|_| help::wants_help(&args[1..])) {
        return match help::command_help(command) {
            Some(page) => {
                println!("{page}");
                ExitCode::SUCCESS
            }
            None => {
                eprintln!("error: unknown command {command:?}\n\n{}", help::overview());
                ExitCode::FAILURE
            }
        };
    }
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen::run(&args[1..]),
        Some("corpus") => corpus::run(&args[1..]),
        Some("examples") => xtask::examples::run(),
        Some("api-diff") => xtask::api_diff::run(&args[1..]),
        Some("bench") => xtask::bench::run(&args[1..]),
        Some("features") => xtask::features::run(&args[1..]),
        Some("standalone") => xtask::standalone::run(),
        Some("test") => test::run(&args[1..]),
        Some("-h" | "--help") | None => {
            println!("{}", help::overview());
            Ok(())
        }
        Some(other) => Err(format!("unknown command {other:?}\n\n{}", help::overview())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
