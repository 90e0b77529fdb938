//! The API surface of each real spec, one line per operation signature and per
//! type: the file a reviewer reads when a spec changes.

use integration_tests::workspace_root;
use oapi_gen::{generate_file, Layout, Options};

fn surface(spec: &str, module: &str) -> String {
    let options = Options { layout: Layout::Module { name: module.into() }, preamble: String::new() };
    let output = generate_file(&workspace_root().join(spec), &options).expect("spec generates");
    oapi_gen::surface::listing(&output.api)
}

#[test]
fn apono_surface() {
    insta::assert_snapshot!("apono", surface("spec/apono.yaml", "apono"));
}

#[test]
fn api_connect_surface() {
    insta::assert_snapshot!("api_connect", surface("spec/api-connect.yaml", "api_connect"));
}
