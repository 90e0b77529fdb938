//! The API surface of each registered API: every public item of the emitted
//! Rust code with its signature, module path and `#[cfg]` gate, read back
//! from the generated files with `syn` (`oapi_gen::rust_surface`), so a
//! generator change that alters the surface shows here even when no spec
//! changed. One snapshot per API of the registry (`xtask/src/apis.rs`),
//! named after its module.

use integration_tests::workspace_root;
use oapi_gen::{generate_file_with, Layout, Options, TagFeatures};
use xtask::apis::APIS;

fn surface(spec: &str, module: &str) -> String {
    let options = Options { layout: Layout::Module { name: module.into() }, preamble: String::new(), mock: false };
    // Gated like the checked-in crate (`cargo xtask codegen`).
    let output = generate_file_with(&workspace_root().join(spec), &options, TagFeatures::On).expect("spec generates");
    oapi_gen::rust_surface::listing(&output.files).expect("emitted code parses")
}

#[test]
fn every_api_surface() {
    for api in APIS {
        insta::assert_snapshot!(api.module, surface(api.spec, api.module));
    }
}
