//! `cargo xtask <command> --help` answers for every command the binary
//! dispatches, and an unknown command fails with the overview.

use std::process::Command;

fn xtask(args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).output().expect("xtask runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn every_command_answers_help() {
    for command in xtask::help::COMMANDS {
        for flag in ["--help", "-h"] {
            let (ok, stdout, stderr) = xtask(&[command.name, flag]);
            assert!(ok, "{} {flag}: {stderr}", command.name);
            assert!(stdout.contains(&format!("usage: cargo xtask {}", command.name)), "{stdout}");
        }
    }
    // Help wins over other arguments, so nothing runs.
    let (ok, stdout, _) = xtask(&["api-diff", "--base", "HEAD", "--help"]);
    assert!(ok && stdout.contains("--fail-on-breaking"), "{stdout}");
}

#[test]
fn the_overview_and_unknown_commands() {
    let (ok, stdout, _) = xtask(&["--help"]);
    assert!(ok && stdout.contains("commands:") && stdout.contains("api-diff"), "{stdout}");
    let (ok, _, stderr) = xtask(&["frobnicate"]);
    assert!(!ok && stderr.contains("unknown command \"frobnicate\"") && stderr.contains("commands:"), "{stderr}");
    let (ok, _, stderr) = xtask(&["frobnicate", "--help"]);
    assert!(!ok && stderr.contains("unknown command"), "{stderr}");
}
