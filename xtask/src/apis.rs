//! The API registry: the one list of the APIs the checked-in crate holds.
//!
//! Adding an API is its spec under `spec/` plus one [`ApiSpec`] entry in
//! [`APIS`]. Everything else follows from this table: the module and its
//! `#[cfg]` in `generated/src/lib.rs` and the cargo features of
//! `generated/Cargo.toml` (both written by `cargo xtask codegen`), the spec
//! lint, the conformance run against Prism, the standalone crates, the
//! benchmarks, the examples (`generated/examples/<module>_*.rs`), and the
//! coverage, surface and snapshot tests. `cargo xtask codegen` refuses a
//! spec under `spec/` that has no entry, so nothing is half registered.

/// How `cargo xtask standalone` builds an API's crate outside the workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StandaloneRuntime {
    /// The runtime copied into the crate (`--runtime vendored`, the default).
    Vendored,
    /// A dependency on `runtime/` by path (`--runtime path=…`).
    Path,
}

/// An API of the checked-in crate.
#[derive(Debug)]
pub struct ApiSpec {
    /// Name on the command line and cargo feature.
    pub name: &'static str,
    /// Module under `generated/src/`, and the prefix of its examples' file names.
    pub module: &'static str,
    /// Spec path relative to the workspace root.
    pub spec: &'static str,
    /// Environment variable the API's examples read their base URL from;
    /// `cargo xtask examples` points it at a Prism mock of the spec.
    pub base_url_env: &'static str,
    /// Other variables the examples need, with the values they run with
    /// against the mock.
    pub example_env: &'static [(&'static str, &'static str)],
    /// Which runtime source the API's standalone crate is built with. The
    /// seed APIs take one each, so that both sources are built and tested.
    pub standalone: StandaloneRuntime,
}

/// Every API the `generated` crate holds, in module order.
pub const APIS: &[ApiSpec] = &[
    ApiSpec {
        name: "apono",
        module: "apono",
        spec: "spec/apono.yaml",
        base_url_env: "APONO_BASE_URL",
        example_env: &[("APONO_TOKEN", "example-token")],
        standalone: StandaloneRuntime::Vendored,
    },
    ApiSpec {
        name: "api-connect",
        module: "api_connect",
        spec: "spec/api-connect.yaml",
        base_url_env: "APIC_BASE_URL",
        example_env: &[
            ("APIC_TOKEN", "example-token"),
            ("APIC_CONTEXT", "porg.sandbox"),
            ("APIC_ORG", "my-org"),
            ("APIC_CLIENT_ID", "portal-client"),
            ("APIC_CLIENT_SECRET", "portal-secret"),
            ("APIC_REALM", "consumer:porg:sandbox/sandbox-idp"),
            ("APIC_USERNAME", "jdoe"),
            ("APIC_PASSWORD", "example-password"),
        ],
        standalone: StandaloneRuntime::Path,
    },
];

/// Names → APIs; all of them when `names` is empty.
pub fn select(names: &[&str]) -> Result<Vec<&'static ApiSpec>, String> {
    if names.is_empty() {
        return Ok(APIS.iter().collect());
    }
    names
        .iter()
        .map(|name| {
            APIS.iter().find(|api| api.name == *name).ok_or_else(|| {
                let known: Vec<&str> = APIS.iter().map(|a| a.name).collect();
                format!("unknown API {name:?}; known: {}", known.join(", "))
            })
        })
        .collect()
}

/// The API whose examples are named `<module>_*.rs`, for an example's file stem.
pub fn api_of_example(stem: &str) -> Option<&'static ApiSpec> {
    // Longest module first, so `api_connect_x` never matches a module `api`.
    let mut apis: Vec<&ApiSpec> = APIS.iter().collect();
    apis.sort_by_key(|api| std::cmp::Reverse(api.module.len()));
    apis.into_iter().find(|api| stem.strip_prefix(api.module).is_some_and(|rest| rest.starts_with('_')))
}

/// Specs under `spec/` with no registry entry (`spec/*.yaml`, `*.yml`, `*.json`).
pub fn unregistered_specs(root: &std::path::Path) -> Result<Vec<String>, String> {
    let dir = root.join("spec");
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut unknown: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| format!("spec/{}", e.file_name().to_string_lossy()))
        .filter(|path| [".yaml", ".yml", ".json"].iter().any(|ext| path.ends_with(ext)))
        .filter(|path| !APIS.iter().any(|api| api.spec == path))
        .collect();
    unknown.sort();
    Ok(unknown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_modules_and_specs_are_unique() {
        for (i, a) in APIS.iter().enumerate() {
            for b in &APIS[i + 1..] {
                assert!(a.name != b.name && a.module != b.module && a.spec != b.spec, "{a:?} / {b:?}");
            }
        }
    }

    #[test]
    fn every_spec_file_is_registered() {
        let root = crate::project_root();
        assert_eq!(unregistered_specs(&root).unwrap(), Vec::<String>::new());
        for api in APIS {
            assert!(root.join(api.spec).is_file(), "{} is missing", api.spec);
        }
    }

    #[test]
    fn examples_belong_to_their_api_by_prefix() {
        assert_eq!(api_of_example("api_connect_subscribe").map(|a| a.name), Some("api-connect"));
        assert_eq!(api_of_example("apono_list_integrations").map(|a| a.name), Some("apono"));
        assert!(api_of_example("aponolist").is_none());
        assert!(api_of_example("other").is_none());
    }

    #[test]
    fn selection_names_unknown_apis() {
        assert_eq!(select(&[]).unwrap().len(), APIS.len());
        let error = select(&["nope"]).unwrap_err();
        assert!(error.contains("unknown API \"nope\"") && error.contains("apono"), "{error}");
    }
}
