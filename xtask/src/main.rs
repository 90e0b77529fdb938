//! Project automation: `cargo xtask <command>` (see `USAGE`).

use std::process::ExitCode;

use xtask::{codegen, corpus, test};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  codegen [API…] [--check]   regenerate generated/ from spec/ (all APIs by default);
                             --check writes nothing and fails on stale output
  test                       run the whole test suite (tools are installed when missing)
  examples                   run generated/examples/ against Prism mocks of the specs
  api-diff --base REV [API…] [--fail-on-breaking]
                             what changed for users of the generated crate since REV
  bench [--runs N] [--compile]
                             generation time and peak memory per spec, lines of code,
                             (--compile) build times of api-clients; see BENCHMARKS.md
  standalone                 generate crates with the CLI outside the workspace and `cargo test` them
                             (vendored runtime, and `--runtime path=runtime`)
  corpus [DIR] [--clippy]    generate and compile a crate per spec in DIR (default ../shared/corpus)
  features [--exhaustive] [SPEC…]
                             `cargo check` each per-tag feature alone: api-clients by default;
                             --exhaustive adds the GitHub corpus spec, SPEC a standalone crate";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
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
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command {other:?}\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
