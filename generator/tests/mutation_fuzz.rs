//! Property test: whatever a spec turns into, the generator returns `Ok` or
//! `Err`, never panics.
//!
//! Real specs (`spec/*.yaml`, `tests/corpus/*.yaml`, `tests/reading/*.yaml`, and the small specs of
//! `../shared/corpus` when it is present) are parsed to JSON trees and mutated at random: a node dropped,
//! a node retyped (string, number, bool, array, null, object), a node copied
//! under another key. Each mutant goes through `oapi_gen::generate_str` inside
//! `catch_unwind`. The PRNG is a fixed-seed SplitMix64 written here, so a
//! failure names a seed that reproduces it exactly; the iteration counts keep
//! the whole test well under 30 s in a debug build.

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

use oapi_gen::{generate_str, Layout, Options, RuntimeSource};
use serde_json::{Map, Value};

/// The seed of the whole run; each mutant derives its own from it.
const SEED: u64 = 0x5EED_0A91_2024_0001;
/// Mutants per spec of `spec/` (large documents, slower to generate).
const MUTANTS_PER_PROJECT_SPEC: u64 = 24;
/// Mutants per small corpus spec (`tests/corpus/`, `../shared/corpus/`).
const MUTANTS_PER_CORPUS_SPEC: u64 = 64;
/// Mutants per reading fixture (`tests/reading/`: one construct each, so fewer are enough).
const MUTANTS_PER_READING_FIXTURE: u64 = 16;
/// Corpus specs above this size are skipped: generation in debug is too slow.
const MAX_CORPUS_SPEC_BYTES: u64 = 64 * 1024;
/// Mutations applied to one mutant (1 to this many).
const MAX_MUTATIONS: u64 = 3;

/// SplitMix64: tiny, fast, and good enough to pick nodes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            return None;
        }
        items.get(self.below(items.len() as u64) as usize)
    }
}

/// One step from a node to a child.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn pointer(path: &[Step]) -> String {
    path.iter()
        .map(|step| match step {
            Step::Key(key) => format!("/{}", key.replace('~', "~0").replace('/', "~1")),
            Step::Index(index) => format!("/{index}"),
        })
        .collect()
}

/// Every node's path, root excluded, in document order.
fn all_paths(tree: &Value) -> Vec<Vec<Step>> {
    let mut out = Vec::new();
    let mut stack: Vec<(&Value, Vec<Step>)> = vec![(tree, Vec::new())];
    while let Some((node, path)) = stack.pop() {
        match node {
            Value::Object(map) => {
                for (key, child) in map {
                    let mut child_path = path.clone();
                    child_path.push(Step::Key(key.clone()));
                    stack.push((child, child_path));
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    let mut child_path = path.clone();
                    child_path.push(Step::Index(index));
                    stack.push((child, child_path));
                }
            }
            _ => {}
        }
        if !path.is_empty() {
            out.push(path);
        }
    }
    out
}

fn node_mut<'a>(tree: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(tree, |node, step| match (node, step) {
        (Value::Object(map), Step::Key(key)) => map.get_mut(key),
        (Value::Array(items), Step::Index(index)) => items.get_mut(*index),
        _ => None,
    })
}

fn node<'a>(tree: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter().try_fold(tree, |node, step| match (node, step) {
        (Value::Object(map), Step::Key(key)) => map.get(key),
        (Value::Array(items), Step::Index(index)) => items.get(*index),
        _ => None,
    })
}

/// Keys that steer the generator, used as targets of copies.
const INTERESTING_KEYS: &[&str] = &[
    "$ref",
    "type",
    "items",
    "properties",
    "allOf",
    "oneOf",
    "anyOf",
    "enum",
    "required",
    "nullable",
    "schema",
    "parameters",
    "responses",
    "requestBody",
    "content",
    "operationId",
    "discriminator",
    "additionalProperties",
    "x-pagination",
    "format",
    "default",
    "200",
    "/{id}",
];

/// Applies one random mutation; returns its description (`None` when the
/// chosen node vanished under an earlier mutation).
fn mutate(tree: &mut Value, paths: &[Vec<Step>], rng: &mut Rng) -> Option<String> {
    let path = rng.pick(paths)?.clone();
    let at = pointer(&path);
    match rng.below(3) {
        0 => {
            let (last, parent_path) = path.split_last()?;
            match (node_mut(tree, parent_path)?, last) {
                (Value::Object(map), Step::Key(key)) => {
                    map.shift_remove(key)?;
                }
                (Value::Array(items), Step::Index(index)) if *index < items.len() => {
                    items.remove(*index);
                }
                _ => return None,
            }
            Some(format!("drop {at}"))
        }
        1 => {
            let replacement = match rng.below(6) {
                0 => Value::String(["", "x", "#/components/schemas/", "{id}", "3.1.0"][rng.below(5) as usize].into()),
                1 => Value::from([0_i64, -1, 1 << 40, 7][rng.below(4) as usize]),
                2 => Value::Bool(rng.below(2) == 0),
                3 => Value::Array(Vec::new()),
                4 => Value::Null,
                _ => Value::Object(Map::new()),
            };
            let description = format!("retype {at} to {replacement}");
            *node_mut(tree, &path)? = replacement;
            Some(description)
        }
        _ => {
            let copy = node(tree, &path)?.clone();
            let target_path = rng.pick(paths)?.clone();
            let own_key = match path.last() {
                Some(Step::Key(key)) => key.clone(),
                _ => "copy".to_string(),
            };
            let key = if rng.below(2) == 0 {
                own_key
            } else {
                rng.pick(INTERESTING_KEYS).map(|k| k.to_string()).unwrap_or(own_key)
            };
            let Value::Object(target) = node_mut(tree, &target_path)? else { return None };
            target.insert(key.clone(), copy);
            Some(format!("copy {at} to {}/{key}", pointer(&target_path)))
        }
    }
}

/// Specs to mutate, each with its number of mutants.
fn targets() -> Vec<(PathBuf, u64)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default();
    let specs_in = |dir: &Path, max_bytes: Option<u64>| -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
        let mut found: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml" || e == "json"))
            .filter(|p| max_bytes.is_none_or(|max| p.metadata().is_ok_and(|m| m.len() <= max)))
            .collect();
        found.sort();
        found
    };
    let project = specs_in(&root.join("spec"), None);
    assert!(!project.is_empty(), "spec/*.yaml must be present");
    let mut targets: Vec<(PathBuf, u64)> = project.into_iter().map(|p| (p, MUTANTS_PER_PROJECT_SPEC)).collect();
    let small = specs_in(&root.join("generator/tests/corpus"), None).into_iter();
    // The shared corpus is optional: absent on most machines, skipped then.
    let shared = specs_in(&root.join("../shared/corpus"), Some(MAX_CORPUS_SPEC_BYTES)).into_iter();
    targets.extend(small.chain(shared).map(|p| (p, MUTANTS_PER_CORPUS_SPEC)));
    // The reading fixtures are the constructs the loader repairs: their mutants probe its edges.
    let reading = specs_in(&root.join("generator/tests/reading"), Some(MAX_CORPUS_SPEC_BYTES));
    targets.extend(reading.into_iter().map(|p| (p, MUTANTS_PER_READING_FIXTURE)));
    targets
}

/// FNV-1a of a spec's name: its mutants' seeds do not depend on which other specs exist.
fn name_hash(name: &str) -> u64 {
    name.bytes().fold(0xCBF2_9CE4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01B3))
}

/// `MUTATION_FUZZ_SCALE=50 cargo test --release -p oapi-gen --test mutation_fuzz`
/// runs 50 times as many mutants (the first ones are the default run's).
fn scale() -> u64 {
    std::env::var("MUTATION_FUZZ_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(1).max(1)
}

#[test]
fn mutated_specs_never_panic() {
    let started = Instant::now();
    let options = Options {
        layout: Layout::Standalone { crate_name: "fuzz".into(), runtime: RuntimeSource::Vendored },
        preamble: String::new(),
        mock: false,
    };
    let targets = targets();
    let trace = std::env::var_os("MUTATION_FUZZ_TRACE").is_some();

    // Panics are expected to be caught: keep their messages out of the test output.
    let default_hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let mut failures = Vec::new();
    let mut runs = 0;
    for (file, mutants) in &targets {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let label = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let Ok(tree) = oapi_gen::load::parse_tree(&text, &label) else { continue };
        let paths = all_paths(&tree);
        for mutant in 0..mutants * scale() {
            let seed = SEED ^ name_hash(&label) ^ mutant;
            let mut rng = Rng(seed);
            let mut mutated = tree.clone();
            let count = 1 + rng.below(MAX_MUTATIONS);
            let applied: Vec<String> = (0..count).filter_map(|_| mutate(&mut mutated, &paths, &mut rng)).collect();
            let json = mutated.to_string();
            runs += 1;
            // A stack overflow aborts the process instead of unwinding: with
            // `MUTATION_FUZZ_TRACE=1` each mutant is named before it runs.
            if trace {
                eprintln!("{label} seed {seed:#x}: {}", applied.join("; "));
            }
            let result = panic::catch_unwind(AssertUnwindSafe(|| generate_str(&json, &label, &options).is_ok()));
            if let Err(payload) = result {
                let message = payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!("{label} seed {seed:#x}: {} → panic: {message}", applied.join("; ")));
            }
        }
    }
    panic::set_hook(default_hook);
    eprintln!("{runs} mutants of {} specs in {:.1} s", targets.len(), started.elapsed().as_secs_f64());
    assert!(failures.is_empty(), "{} mutants panicked:\n{}", failures.len(), failures.join("\n"));
}
