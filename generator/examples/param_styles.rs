//! How many parameters of a corpus of specs (default `../shared/corpus`)
//! use each `in` × `style` × shape, and how many of them go through the
//! runtime's style writers: those whose wire form changed when styles were
//! honoured (before, every style but `form` was sent as `form`/`simple`
//! and objects as JSON text).
//!
//! ```sh
//! cargo run -p oapi-gen --example param_styles [DIR]
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;

use oapi_gen::emit::param_text::{is_styled, shape};
use oapi_gen::{generate_file, Layout, Options};

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"));
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("{} is absent; nothing to measure", dir.display());
        return;
    };
    let mut specs: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml" || ext == "json"))
        .collect();
    specs.sort();
    // "in style explode shape" → (parameters, of which styled)
    let mut table: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    println!("{:<28} {:>7} {:>7} {:>9}", "spec", "params", "styled", "warnings");
    for spec in &specs {
        let options = Options { layout: Layout::Module { name: "m".into() }, preamble: String::new(), mock: false };
        let output = match generate_file(spec, &options) {
            Ok(output) => output,
            Err(err) => {
                println!("{:<28} not generated: {err}", file_name(spec));
                continue;
            }
        };
        let (mut params, mut styled) = (0, 0);
        for op in &output.api.operations {
            for param in &op.params {
                let is = is_styled(&output.api, param);
                let key = format!(
                    "{:?} {:?} explode={} {:?}",
                    param.location,
                    param.style,
                    param.explode,
                    shape(&output.api, &param.ty)
                );
                let row = table.entry(key).or_default();
                row.0 += 1;
                row.1 += usize::from(is);
                params += 1;
                styled += usize::from(is);
            }
        }
        let style_warnings = output
            .report
            .warnings
            .iter()
            .filter(|w| w.to_string().contains("style:") || w.to_string().contains("cookie array"))
            .count();
        println!("{:<28} {:>7} {:>7} {:>9}", file_name(spec), params, styled, style_warnings);
    }
    println!("\n{:<52} {:>7} {:>7}", "in style explode shape", "params", "styled");
    for (key, (count, styled)) in &table {
        println!("{key:<52} {count:>7} {styled:>7}");
    }
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned()
}
