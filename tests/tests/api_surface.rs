//! The API surface of each registered API, one line per operation signature
//! and per type: the file a reviewer reads when a spec changes. One snapshot
//! per API of the registry (`xtask/src/apis.rs`), named after its module.

use integration_tests::workspace_root;
use oapi_gen::{generate_file, Layout, Options};
use xtask::apis::APIS;

fn surface(spec: &str, module: &str) -> String {
    let options = Options { layout: Layout::Module { name: module.into() }, preamble: String::new() };
    let output = generate_file(&workspace_root().join(spec), &options).expect("spec generates");
    oapi_gen::surface::listing(&output.api)
}

#[test]
fn every_api_surface() {
    for api in APIS {
        insta::assert_snapshot!(api.module, surface(api.spec, api.module));
    }
}
