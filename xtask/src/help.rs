//! `cargo xtask --help` and `cargo xtask <command> --help`: one entry per
//! command, so the overview and each command's page cannot drift apart.

/// One `cargo xtask` command.
pub struct Command {
    /// The word after `cargo xtask`.
    pub name: &'static str,
    /// Arguments, as written after the name.
    pub synopsis: &'static str,
    /// One line for the overview.
    pub summary: &'static str,
    /// `(option, meaning)` pairs for the command's page.
    pub options: &'static [(&'static str, &'static str)],
    /// A command line a user would type.
    pub example: &'static str,
}

/// Every command, in the order the overview lists them.
pub const COMMANDS: &[Command] = &[
    Command {
        name: "codegen",
        synopsis: "[API…] [--check]",
        summary: "regenerate generated/ from spec/ (all APIs by default), then print the API diff",
        options: &[
            ("API…", "only these APIs (apono, api-connect)"),
            ("--check", "write nothing; fail with a short diff when the checked-in output is stale"),
        ],
        example: "cargo xtask codegen --check",
    },
    Command {
        name: "test",
        synopsis: "",
        summary: "run the whole test suite, as CI does (tools are installed when missing)",
        options: &[],
        example: "cargo xtask test",
    },
    Command {
        name: "examples",
        synopsis: "",
        summary: "run generated/examples/ against Prism mocks of the specs",
        options: &[],
        example: "cargo xtask examples",
    },
    Command {
        name: "api-diff",
        synopsis: "--base REV [API…] [--format text|markdown|json] [--fail-on-breaking]",
        summary: "what changed for users of the generated crate since a git revision",
        options: &[
            ("--base REV", "the git revision whose specs are compared with the working tree (required)"),
            ("API…", "only these APIs"),
            ("--format FORMAT", "text (default), markdown (a pull-request comment, grouped per Rust item with signatures and semver verdicts) or json"),
            ("--fail-on-breaking", "exit non-zero when any change is breaking"),
        ],
        example: "cargo xtask api-diff --base origin/main --format markdown > api-diff.md",
    },
    Command {
        name: "bench",
        synopsis: "[--runs N] [--compile] [--peers [SPEC…]]",
        summary: "generation time and peak memory per spec, lines of code (see BENCHMARKS.md)",
        options: &[
            ("--runs N", "runs per spec (median reported)"),
            ("--compile", "also build times of api-clients"),
            ("--peers [SPEC…]", "beside progenitor, ploidy, openapi-to-rust, openapi-generator (installed under target/peers)"),
        ],
        example: "cargo xtask bench --peers spec/apono.yaml --runs 3",
    },
    Command {
        name: "standalone",
        synopsis: "",
        summary: "generate crates with the CLI outside the workspace and `cargo test` them",
        options: &[],
        example: "cargo xtask standalone",
    },
    Command {
        name: "corpus",
        synopsis: "[DIR|FILE…] [--clippy] [--doc] [--paginated] [--mock] [--conform [--passes N] [--max-operations N]]",
        summary: "generate and compile a crate per spec (default ../shared/corpus, skipped when absent)",
        options: &[
            ("DIR|FILE…", "specs to use: directories of specs or single files"),
            ("--clippy", "also `cargo clippy -D warnings` each crate"),
            ("--doc", "also `cargo doc` each crate with warnings denied"),
            ("--paginated", "list the operations that got page streams"),
            ("--mock", "generate each crate's test double (src/mock.rs) and compile with --features mock"),
            ("--conform", "call every operation against a Prism mock of its spec and tabulate findings"),
            ("--passes N", "dynamic Prism passes after the static one (with --conform)"),
            ("--max-operations N", "call at most N operations per spec (with --conform)"),
        ],
        example: "cargo xtask corpus tests/fixtures --clippy",
    },
    Command {
        name: "features",
        synopsis: "[--exhaustive] [SPEC…]",
        summary: "`cargo check` each per-tag feature of api-clients alone",
        options: &[
            ("--exhaustive", "also the GitHub corpus spec as a standalone crate"),
            ("SPEC…", "standalone crates of these specs instead of api-clients"),
        ],
        example: "cargo xtask features",
    },
];

/// The overview printed by `cargo xtask --help`.
pub fn overview() -> String {
    let mut out = String::from("usage: cargo xtask <command> [options]\n\ncommands:\n");
    for command in COMMANDS {
        out.push_str(&format!("  {:<11} {}\n", command.name, command.summary));
    }
    out.push_str("\n`cargo xtask <command> --help` describes a command's options.");
    out
}

/// The page printed by `cargo xtask <command> --help`, if there is such a command.
pub fn command_help(name: &str) -> Option<String> {
    let command = COMMANDS.iter().find(|command| command.name == name)?;
    let mut out = format!("{}\n\nusage: cargo xtask {} {}\n", command.summary, command.name, command.synopsis);
    if !command.options.is_empty() {
        out.push_str("\noptions:\n");
        let width = command.options.iter().map(|(option, _)| option.len()).max().unwrap_or(0);
        for (option, meaning) in command.options {
            out.push_str(&format!("  {option:<width$}  {meaning}\n"));
        }
    }
    out.push_str(&format!("\nexample:\n  {}", command.example));
    Some(out)
}

/// Whether the arguments after the command ask for its help.
pub fn wants_help(args: &[String]) -> bool {
    args.iter().any(|arg| arg == "--help" || arg == "-h")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_a_page_with_an_example() {
        for command in COMMANDS {
            let page = command_help(command.name).unwrap_or_default();
            assert!(page.contains(&format!("usage: cargo xtask {}", command.name)), "{page}");
            assert!(page.contains(&format!("example:\n  cargo xtask {}", command.name)), "{page}");
            assert!(overview().contains(command.name));
        }
        assert!(command_help("api-diff").is_some_and(|page| page.contains("--base REV")));
        assert!(command_help("no-such-command").is_none());
    }

    #[test]
    fn options_on_a_page_are_in_its_synopsis() {
        for command in COMMANDS {
            for (option, _) in command.options {
                let flag = option.split_whitespace().next().unwrap_or_default();
                assert!(command.synopsis.contains(flag), "{}: {flag} not in {:?}", command.name, command.synopsis);
            }
        }
    }
}
