//! Reading real-world constructs: each fixture of `tests/reading/` holds one
//! construct (from the OpenAPI 3.0.3, 3.1.0 and Swagger 2.0 texts, as tools
//! write it) that used to fail the whole spec or lose its types to
//! `serde_json::Value`. Each test says what the generated model keeps and
//! which warnings name what is still lost. `cargo xtask corpus
//! generator/tests/reading --clippy --doc` compiles and documents them all.

use std::path::Path;

use oapi_gen::model::{Api, Field, TypeKind, TypeRef};
use oapi_gen::untyped::UntypedReason;
use oapi_gen::{generate_file, Layout, Options, Output};

fn generate(fixture: &str) -> Output {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reading").join(fixture);
    let options = Options { layout: Layout::Module { name: "t".into() }, preamble: String::new(), mock: false };
    generate_file(&path, &options).unwrap_or_else(|e| panic!("{fixture}: {e}"))
}

fn field<'a>(api: &'a Api, type_name: &str, field: &str) -> &'a Field {
    let Some(def) = api.types.get(type_name) else { panic!("no type {type_name}: {:?}", api.types.keys()) };
    let TypeKind::Struct { fields, .. } = &def.kind else { panic!("{type_name} is not a struct: {:?}", def.kind) };
    fields.iter().find(|f| f.wire_name == field).unwrap_or_else(|| panic!("no field {type_name}.{field}"))
}

fn optional(ty: TypeRef) -> TypeRef {
    TypeRef::Option(Box::new(ty))
}

fn named(name: &str) -> TypeRef {
    TypeRef::Named(name.to_string())
}

/// Warnings as `pointer: message`, for readable assertion failures.
fn warnings(output: &Output) -> Vec<String> {
    output.report.warnings.iter().map(|w| format!("{}: {}", w.location.pointer, w.message)).collect()
}

#[test]
fn integers_beyond_64_bits_are_kept_or_dropped_from_bounds_with_a_warning() {
    let output = generate("big_numbers.yaml");
    let value = field(&output.api, "Counter", "value");
    assert_eq!(value.ty, TypeRef::Integer(oapi_gen::model::IntWidth::U64));
    assert_eq!(value.constraints.maximum, None, "the range of u64 is the type's own");
    let sequence = field(&output.api, "Counter", "sequence");
    assert_eq!(sequence.ty, optional(TypeRef::Integer(oapi_gen::model::IntWidth::U64)));
    let budget = field(&output.api, "Counter", "budget");
    assert_eq!(budget.ty, optional(TypeRef::Integer(oapi_gen::model::IntWidth::I64)));
    assert_eq!(budget.constraints.maximum, None, "no 64-bit integer holds 99999999999999999999");
    // -9223372036854776000 is i64::MIN printed as a double: kept.
    let offset = field(&output.api, "Counter", "offset");
    assert_eq!(offset.constraints.minimum, Some((i64::MIN as f64, false)));
    // Number bounds are doubles anyway.
    let ratio = field(&output.api, "Counter", "ratio");
    assert_eq!(ratio.constraints.minimum, Some((-18446744073709552000.0, false)));
    let warnings = warnings(&output);
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(warnings[0].starts_with("/components/schemas/Counter/properties/budget/maximum: "), "{warnings:#?}");
}

#[test]
fn unreadable_schemas_in_paths_degrade_at_their_own_pointer() {
    let output = generate("unreadable_in_paths.yaml");
    let ids: Vec<&str> = output.api.operations.iter().map(|o| o.operation_id.as_str()).collect();
    assert_eq!(ids, ["getItem", "putItem"]);
    let pointers: Vec<&str> = output.report.warnings.iter().map(|w| w.location.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/paths/~1items~1{id}/parameters/0/schema",
            "/paths/~1items~1{id}/get/parameters/0/schema",
            "/paths/~1items~1{id}/get/responses/200/content/application~1json/schema/properties/size",
            "/paths/~1items~1{id}/put/requestBody/content/application~1json/schema/properties/name",
            "/components/responses/Broken/content/application~1json/schema",
        ]
    );
    let operations: Vec<Option<&str>> =
        output.report.warnings.iter().map(|w| w.location.operation.as_deref()).collect();
    assert_eq!(operations, [None, Some("getItem"), Some("getItem"), Some("putItem"), None]);
    // Only the unreadable property is lost; its siblings keep their types.
    let response =
        output.api.types.values().find(|t| t.pointer.ends_with("/get/responses/200/content/application~1json/schema"));
    let response = response.expect("the response struct");
    let TypeKind::Struct { fields, .. } = &response.kind else { panic!("{:?}", response.kind) };
    let types: Vec<(&str, &TypeRef)> = fields.iter().map(|f| (f.wire_name.as_str(), &f.ty)).collect();
    assert_eq!(types, [("name", &optional(TypeRef::String)), ("size", &optional(TypeRef::Json))]);
}

#[test]
fn json_schema_constructs_in_swagger_two_are_normalized() {
    let output = generate("swagger2_json_schema.yaml");
    assert_eq!(field(&output.api, "Message", "text").ty, optional(TypeRef::String));
    assert_eq!(field(&output.api, "Message", "edited").ty, optional(TypeRef::Bool));
    assert_eq!(field(&output.api, "Message", "reactions").ty, optional(TypeRef::Vec(Box::new(TypeRef::String))));
    assert_eq!(field(&output.api, "ListMessagesResponse", "cursor").ty, optional(TypeRef::String));
    // A tuple of different types is the one loss, and it is reported as one.
    let untyped: Vec<(&str, UntypedReason)> =
        output.report.untyped.iter().map(|u| (u.name.as_str(), u.reason)).collect();
    assert_eq!(untyped, [("ListMessagesResponse.pair", UntypedReason::Unsupported)]);
}

#[test]
fn references_into_sub_schemas_resolve_and_share_one_type() {
    let output = generate("deep_refs.yaml");
    assert!(output.report.warnings.is_empty(), "{:#?}", warnings(&output));
    let api = &output.api;
    let create = &api.operations[0];
    assert_eq!(create.body.as_ref().map(|b| &b.ty), Some(&named("TagPart1")));
    // The `allOf` member is still part of `Tag`.
    // It keeps its own name, whichever identical type holds the definition.
    assert_eq!(field(api, "Tag", "color").ty, optional(named("TagColor")));
    assert!(api.types.contains_key("TagColor"));
    assert_eq!(field(api, "Tag", "id").ty, optional(TypeRef::Integer(oapi_gen::model::IntWidth::I64)));
    assert_eq!(field(api, "Conflict", "message").ty, TypeRef::String);
    // A reference to a response's own schema, recursive through `items`.
    let children = &field(api, "GetTreeResponse201", "children").ty;
    assert_eq!(children, &optional(TypeRef::Vec(Box::new(named("GetTreeResponse201")))));
    assert!(matches!(api.types["TagListItemName"].kind, TypeKind::Alias(TypeRef::String)));
    assert!(output.report.untyped.is_empty(), "{:#?}", output.report.untyped);
}

#[test]
fn all_of_with_one_typed_member_is_that_member_with_its_modifiers() {
    let output = generate("allof_modifiers.yaml");
    let api = &output.api;
    assert_eq!(field(api, "Server", "region").ty, optional(named("Region")));
    assert_eq!(field(api, "Server", "region").docs.text.as_deref(), Some("Where the server runs."));
    assert_eq!(field(api, "Server", "size").ty, optional(named("ServerSize")));
    let TypeKind::Enum { values } = &api.types["ServerSize"].kind else { panic!() };
    assert_eq!(values.len(), 3);
    let label = field(api, "Server", "label");
    assert_eq!((label.read_only, label.constraints.max_length), (true, Some(64)));
    assert_eq!(field(api, "Server", "backup").ty, optional(named("Region")));
    // Two members setting `maximum` differently: degraded, with the reason.
    let warnings = warnings(&output);
    assert!(
        warnings.iter().any(|w| w.starts_with("/components/schemas/Server/properties/weight/allOf: ")
            && w.contains("disagree on `maximum` (10 and 20)")),
        "{warnings:#?}"
    );
}

#[test]
fn openapi_31_keywords_are_typed() {
    let output = generate("openapi31_keywords.yaml");
    let api = &output.api;
    let ids: Vec<&str> = api.operations.iter().map(|o| o.operation_id.as_str()).collect();
    assert_eq!(ids, ["listPets", "getVersion"], "a components/pathItems reference is an operation like any other");
    assert_eq!(field(api, "Version", "major").ty, TypeRef::Integer(oapi_gen::model::IntWidth::I64));
    let TypeKind::Enum { values } = &api.types["VersionKind"].kind else { panic!() };
    assert_eq!(values.iter().map(|v| v.wire.as_str()).collect::<Vec<_>>(), ["release"]);
    assert_eq!(field(api, "Version", "labels").ty, optional(TypeRef::Map(Box::new(TypeRef::String))));
    assert_eq!(field(api, "Version", "point").ty, optional(TypeRef::Vec(Box::new(TypeRef::Float(true)))));
    assert_eq!(field(api, "Pet", "friend").ty, optional(named("PetNamed")));
    let members = vec![TypeRef::Date, TypeRef::Integer(oapi_gen::model::IntWidth::I32), named("PetNamed")];
    assert_eq!(field(api, "Version", "range").ty, optional(TypeRef::Tuple(members)));
    let warnings = warnings(&output);
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(warnings[0].starts_with("/components/schemas/Version/properties/mixed/prefixItems: "), "{warnings:#?}");
}

#[test]
fn pagination_is_inferred_from_each_shape() {
    let output = generate("pagination_shapes.yaml");
    let rules: Vec<(&str, &str)> =
        output.report.paginated.iter().map(|(operation, rule)| (operation.as_str(), rule.as_str())).collect();
    assert_eq!(
        rules,
        [
            ("listPods", "cursor (continue -> metadata.continue)"),
            ("listUsers", "offset (first/max, no total)"),
            ("listEvents", "offset (offset/limit, no total)"),
            ("listGroups", "offset (first/max, no total)"),
            ("listArticles", "page (page/per_page, meta.total_pages)"),
            ("listComments", "page (page/pageSize, no page count)"),
        ]
    );
}

/// A `nullable: true` schema of no type beside other success statuses: its
/// variant holds the optional value and the body-less status is a unit
/// variant; the two used to be one sentinel type (`Option<Value>`), so the
/// first was emitted as a unit variant that the operation then constructed
/// with a payload, and the crate did not compile.
#[test]
fn a_nullable_success_body_is_a_payload_and_no_body_a_unit_variant() {
    let output = generate("nullable_success.yaml");
    let TypeKind::Responses { variants } = &output.api.types["GetThingResponse"].kind else { panic!() };
    let summary: Vec<(&str, &str, Option<&TypeRef>)> =
        variants.iter().map(|v| (v.rust_name.as_str(), v.status.as_str(), v.body.as_ref())).collect();
    let nullable = optional(TypeRef::Json);
    let thing = named("Thing");
    assert_eq!(summary, [("Ok", "200", Some(&nullable)), ("Created", "201", Some(&thing)), ("NoContent", "204", None)]);
    let text = |suffix: &str| {
        let (_, text) = output.files.iter().find(|(path, _)| path.ends_with(suffix)).expect("a file");
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let types = text("types.rs");
    assert!(types.contains("Ok(::std::option::Option<::serde_json::Value>),"), "{types}");
    assert!(types.contains("NoContent, }"), "{types}");
    let operations = text("default.rs");
    let decode_nullable = "GetThingResponse::Ok( crate::runtime::__private::decode_json::< ::std::option::Option<::serde_json::Value>, >(&raw)?, )";
    assert!(operations.contains(&format!("200u16 => {{ super::types::{decode_nullable} }}")), "{operations}");
    assert!(operations.contains("204u16 => super::types::GetThingResponse::NoContent,"), "{operations}");
    assert!(warnings(&output).is_empty(), "{:#?}", warnings(&output));
}
