//! API diffs: one before/after spec pair per area under `tests/diff_fixtures/`,
//! each report snapshotted (every line is a classification and a description),
//! plus a check that the pairs together produce every kind of change.

use std::collections::BTreeSet;
use std::path::PathBuf;

use oapi_gen::diff::{diff, has_breaking, render, Change, ChangeKind, Class};
use oapi_gen::model::Api;
use oapi_gen::{generate_file, Layout, Options};

const CASES: &[&str] = &["client", "operations", "parameters", "bodies", "responses", "fields", "enums_unions"];

fn model(path: PathBuf) -> Api {
    let options = Options { layout: Layout::Module { name: "api".into() }, preamble: "// test".into(), mock: false };
    generate_file(&path, &options).unwrap_or_else(|e| panic!("{}: {e}", path.display())).api
}

fn case_changes(case: &str) -> Vec<Change> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/diff_fixtures").join(case);
    diff(&model(dir.join("old.yaml")), &model(dir.join("new.yaml")))
}

fn check(case: &str) {
    let changes = case_changes(case);
    insta::assert_snapshot!(case, render(case, &changes));
}

#[test]
fn client() {
    check("client");
}

#[test]
fn operations() {
    check("operations");
}

#[test]
fn parameters() {
    check("parameters");
}

#[test]
fn bodies() {
    check("bodies");
}

#[test]
fn responses() {
    check("responses");
}

#[test]
fn fields() {
    check("fields");
}

#[test]
fn enums_unions() {
    check("enums_unions");
}

/// Every `ChangeKind`; the `match` fails to compile when one is added, so
/// this list (and the fixtures that must produce it) cannot fall behind.
fn all_kinds() -> Vec<ChangeKind> {
    use ChangeKind::*;
    let all = vec![
        ClientParamAdded,
        ClientParamRemoved,
        SecuritySchemeAdded,
        SecuritySchemeRemoved,
        BaseUrlChanged,
        OperationAdded,
        OperationRemoved,
        OperationRenamed,
        OperationMoved,
        EndpointChanged,
        OperationDeprecationChanged,
        ParameterAdded,
        ParameterRemoved,
        ParameterDeprecationChanged,
        ParameterRetyped,
        ParameterRequirednessChanged,
        ParameterClientDefaultChanged,
        ParameterWireChanged,
        ArgumentsReordered,
        BodyAdded,
        BodyRemoved,
        BodyRetyped,
        BodyRequirednessChanged,
        BodyMediaTypeChanged,
        ReturnTypeChanged,
        SuccessResponsesChanged,
        ErrorResponseAdded,
        ErrorResponseRemoved,
        ErrorResponseRetyped,
        PaginationAdded,
        PaginationRemoved,
        PaginationRetyped,
        TypeAdded,
        TypeRemoved,
        TypeKindChanged,
        ConstructorStyleChanged,
        TypeDefaultChanged,
        TypeDeprecationChanged,
        FieldAdded,
        FieldRemoved,
        FieldRetyped,
        FieldRequirednessChanged,
        FieldNullabilityChanged,
        FieldWireNameChanged,
        FieldReadOnlyChanged,
        FieldConstraintsChanged,
        FieldDeprecationChanged,
        ConstructorReordered,
        AdditionalPropertiesChanged,
        EnumValueAdded,
        EnumValueRemoved,
        EnumValueRenamed,
        VariantAdded,
        VariantRemoved,
        VariantRetyped,
        VariantTagsChanged,
        AliasRetyped,
    ];
    for kind in &all {
        match kind {
            ClientParamAdded
            | ClientParamRemoved
            | SecuritySchemeAdded
            | SecuritySchemeRemoved
            | BaseUrlChanged
            | OperationAdded
            | OperationRemoved
            | OperationRenamed
            | OperationMoved
            | EndpointChanged
            | OperationDeprecationChanged
            | ParameterAdded
            | ParameterRemoved
            | ParameterDeprecationChanged
            | ParameterRetyped
            | ParameterRequirednessChanged
            | ParameterClientDefaultChanged
            | ParameterWireChanged
            | ArgumentsReordered
            | BodyAdded
            | BodyRemoved
            | BodyRetyped
            | BodyRequirednessChanged
            | BodyMediaTypeChanged
            | ReturnTypeChanged
            | SuccessResponsesChanged
            | ErrorResponseAdded
            | ErrorResponseRemoved
            | ErrorResponseRetyped
            | PaginationAdded
            | PaginationRemoved
            | PaginationRetyped
            | TypeAdded
            | TypeRemoved
            | TypeKindChanged
            | ConstructorStyleChanged
            | TypeDefaultChanged
            | TypeDeprecationChanged
            | FieldAdded
            | FieldRemoved
            | FieldRetyped
            | FieldRequirednessChanged
            | FieldNullabilityChanged
            | FieldWireNameChanged
            | FieldReadOnlyChanged
            | FieldConstraintsChanged
            | FieldDeprecationChanged
            | ConstructorReordered
            | AdditionalPropertiesChanged
            | EnumValueAdded
            | EnumValueRemoved
            | EnumValueRenamed
            | VariantAdded
            | VariantRemoved
            | VariantRetyped
            | VariantTagsChanged
            | AliasRetyped => {}
        }
    }
    all
}

#[test]
fn fixtures_cover_every_kind() {
    let seen: BTreeSet<ChangeKind> = CASES.iter().flat_map(|case| case_changes(case)).map(|c| c.kind).collect();
    let missing: Vec<ChangeKind> = all_kinds().into_iter().filter(|k| !seen.contains(k)).collect();
    assert!(missing.is_empty(), "no fixture produces {missing:?}");
}

/// The rules users rely on most, stated once outside the snapshots.
#[test]
fn key_classifications() {
    let find = |case: &str, kind: ChangeKind, needle: &str| -> Class {
        case_changes(case)
            .into_iter()
            .find(|c| c.kind == kind && c.line().contains(needle))
            .unwrap_or_else(|| panic!("{case}: no {kind:?} containing {needle:?}"))
            .class
    };
    // New required argument breaks; new optional setter does not.
    assert_eq!(find("parameters", ChangeKind::ParameterAdded, "`owner"), Class::Breaking);
    assert_eq!(find("parameters", ChangeKind::ParameterAdded, "`page"), Class::Compatible);
    // Every struct is #[non_exhaustive] with `new` or a builder, whether sent or
    // returned: a new optional field is a setter, a new required one breaks
    // construction (a `new()` argument, or a `build()` that fails without it).
    assert_eq!(find("fields", ChangeKind::FieldAdded, "Pet.birthday"), Class::Compatible);
    assert_eq!(find("fields", ChangeKind::FieldAdded, "NewPet.color"), Class::Compatible);
    assert_eq!(find("fields", ChangeKind::FieldAdded, "Pet.weight"), Class::Breaking);
    assert_eq!(find("fields", ChangeKind::FieldAdded, "NewPet.owner"), Class::Breaking);
    assert_eq!(find("fields", ChangeKind::FieldRequirednessChanged, "Order.d"), Class::Breaking);
    assert_eq!(find("fields", ChangeKind::FieldNullabilityChanged, "Pet.color"), Class::Compatible);
    assert_eq!(
        find("parameters", ChangeKind::ParameterDeprecationChanged, "`locale` is now deprecated"),
        Class::Compatible
    );
    // Crossing the builder threshold, either way, replaces the constructor.
    assert_eq!(find("fields", ChangeKind::ConstructorStyleChanged, "`Order::builder()`"), Class::Breaking);
    assert_eq!(find("fields", ChangeKind::ConstructorStyleChanged, "`Invoice::new`"), Class::Breaking);
    // Enums are non-exhaustive with an Unknown fallback; unions are exhaustive.
    assert_eq!(find("enums_unions", ChangeKind::EnumValueAdded, "adopted"), Class::Compatible);
    assert_eq!(find("enums_unions", ChangeKind::EnumValueRemoved, "lost"), Class::Breaking);
    assert_eq!(find("enums_unions", ChangeKind::VariantAdded, "Bird"), Class::Breaking);
    assert_eq!(find("responses", ChangeKind::ReturnTypeChanged, "deletePet"), Class::Breaking);
    assert_eq!(find("operations", ChangeKind::OperationAdded, "getStore"), Class::Compatible);
    assert_eq!(find("operations", ChangeKind::OperationRemoved, "purgeLegacy"), Class::Breaking);
}

#[test]
fn identical_models_have_no_changes() {
    let spec = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec");
    for name in ["apono.yaml", "api-connect.yaml"] {
        let api = model(spec.join(name));
        let changes = diff(&api, &api);
        assert!(changes.is_empty(), "{name}: {changes:?}");
        assert_eq!(render("x", &changes), "x: no API changes\n");
        assert!(!has_breaking(&changes));
    }
}

#[test]
fn reports_are_deterministic() {
    for case in CASES {
        assert_eq!(case_changes(case), case_changes(case), "{case}");
    }
}

/// A removed and an added operation with the same method and path: one
/// renamed method, grouped under its new name, with both signatures, gated
/// on its tag's feature, and a major verdict.
#[test]
fn a_rename_is_one_group_with_both_signatures() {
    use oapi_gen::diff::report::{api_report, Bump, DiffReport, Format, Level, Side};
    use oapi_gen::{generate_file_with, TagFeatures};
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/diff_fixtures/rename");
    let options = Options { layout: Layout::Module { name: "api".into() }, preamble: "// test".into(), mock: false };
    let side = |name: &str| generate_file_with(&dir.join(name), &options, TagFeatures::On).expect("fixture generates");
    let (old, new) = (side("old.yaml"), side("new.yaml"));
    let surface = |o: &oapi_gen::Output| oapi_gen::rust_surface::items(&o.files).expect("emitted code parses");
    let (old_surface, new_surface) = (surface(&old), surface(&new));
    let report = api_report(
        "rename",
        Side { api: &old.api, surface: &old_surface },
        Side { api: &new.api, surface: &new_surface },
    );
    assert_eq!(report.items.len(), 1, "{report:#?}");
    let item = &report.items[0];
    assert_eq!(item.item, "Client::fetch_pet");
    assert_eq!(item.endpoint.as_deref(), Some("GET /pets/{id}"));
    assert_eq!(item.level, Level::Breaking);
    assert_eq!(item.features, ["api-pets"]);
    let method = item.signatures.iter().find(|s| s.path == "Client::fetch_pet").expect("method signature");
    assert_eq!(method.old.as_deref(), Some("pub fn get_pet(&self, id: impl Into<String>) -> GetPet"));
    assert_eq!(method.new.as_deref(), Some("pub fn fetch_pet(&self, id: impl Into<String>) -> FetchPet"));
    assert_eq!(report.verdict.bump, Bump::Major);
    assert_eq!(report.features[0].feature, "api-pets");
    insta::assert_snapshot!("rename_report", serde_json::to_string_pretty(&report).expect("serializes"));

    // The three printed forms of the crate-level report.
    let crate_report = DiffReport::new("origin/main", vec![report]);
    let markdown = crate_report.render(Format::Markdown);
    assert!(markdown.starts_with("### API diff since `origin/main`: major: "), "{markdown}");
    assert!(markdown.contains("<details><summary><b>rename</b>"), "{markdown}");
    assert!(markdown.contains("- pub fn get_pet(&self, id: impl Into<String>) -> GetPet"), "{markdown}");
    insta::assert_snapshot!("rename_report_markdown", markdown);
    insta::assert_snapshot!("rename_report_text", crate_report.render(Format::Text));
    let json: serde_json::Value = serde_json::from_str(&crate_report.render(Format::Json)).expect("valid JSON");
    assert_eq!(json["version"], 1);
    assert_eq!(json["verdict"]["bump"], "major");
    assert_eq!(json["apis"][0]["items"][0]["item"], "Client::fetch_pet");
}
