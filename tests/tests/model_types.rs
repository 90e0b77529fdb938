//! Generated models at work, compiled into this test: `tests/support/models.yaml`
//! generated into `tests/support/models_types.rs` (checked in, and checked
//! fresh below; `UPDATE_MODELS=1` rewrites it). Builders and their missing
//! fields, open enums and their `Unknown` fallback, unions and their `From`
//! conversions, each through a JSON round trip.

use integration_tests::workspace_root;
use oapi_gen::{generate_str, Layout, Options};
use serde_json::json;

/// What `crate::runtime` means in generated code.
pub use api_clients::runtime;

#[allow(dead_code)]
#[rustfmt::skip]
#[path = "../support/models_types.rs"]
mod types;

use types::{Cat, Dog, IdOrName, Order, Pet, Status};

const PREAMBLE: &str = "// @generated from tests/support/models.yaml by tests/tests/model_types.rs (UPDATE_MODELS=1)";

#[test]
fn checked_in_models_are_fresh() {
    let root = workspace_root();
    let spec = std::fs::read_to_string(root.join("tests/support/models.yaml")).expect("spec");
    let options = Options { layout: Layout::Module { name: "models".into() }, preamble: PREAMBLE.into(), mock: false };
    let output = generate_str(&spec, "tests/support/models.yaml", &options).unwrap_or_else(|e| panic!("{e}"));
    let (_, fresh) = output.files.iter().find(|(path, _)| path.ends_with("types.rs")).expect("a types file");
    let path = root.join("tests/support/models_types.rs");
    if std::env::var_os("UPDATE_MODELS").is_some() {
        std::fs::write(&path, fresh).expect("write models_types.rs");
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(checked_in == *fresh, "tests/support/models_types.rs is stale: rerun with UPDATE_MODELS=1");
}

#[test]
fn builder_reports_the_first_missing_required_field() {
    let missing = Order::builder().account("a").item("i").build().expect_err("user and reason are unset");
    assert_eq!(missing.field(), "user");
    assert_eq!(missing.type_name(), "Order");
    let error: Box<dyn std::error::Error> = Box::new(missing);
    assert_eq!(error.to_string(), "`Order` needs the required field `user`");

    let order = Order::builder()
        .account("a")
        .user("u")
        .item("i")
        .reason("r")
        .status(Status::Active)
        .build()
        .expect("complete")
        .note("n");
    let wire = serde_json::to_value(&order).expect("encodes");
    assert_eq!(wire, json!({"account": "a", "user": "u", "item": "i", "reason": "r", "status": "active", "note": "n"}));
    assert_eq!(serde_json::from_value::<Order>(wire).expect("decodes"), order);
}

#[test]
fn unknown_enum_values_round_trip_and_differ_from_known_ones() {
    let unknown: Status = serde_json::from_value(json!("on_hold")).expect("decodes");
    let Status::Unknown(value) = &unknown else { panic!("{unknown:?}") };
    assert_eq!(value.as_str(), "on_hold");
    assert_eq!(value.to_string(), "on_hold");
    assert_eq!(format!("{unknown:?}"), r#"Unknown("on_hold")"#);
    assert_eq!(serde_json::to_value(&unknown).expect("encodes"), json!("on_hold"));
    assert_ne!(unknown, Status::Active);
    assert_ne!(unknown, Status::Retired);

    // A known value always becomes its variant, however it is produced.
    let known: Status = serde_json::from_value(json!("active")).expect("decodes");
    assert_eq!(known, Status::Active);
    assert_eq!(Status::from("active"), Status::Active);
    assert_eq!("retired".parse::<Status>(), Ok(Status::Retired));
    assert_eq!(Status::from("on_hold"), unknown);
}

#[test]
fn unions_convert_from_unique_payloads() {
    let pet: Pet = Cat::new("cat", 9).into();
    assert_eq!(pet, Pet::Cat(Box::new(Cat::new("cat", 9))));
    let wire = serde_json::to_value(&pet).expect("encodes");
    assert_eq!(wire, json!({"petType": "cat", "lives": 9}));
    assert_eq!(serde_json::from_value::<Pet>(wire).expect("decodes"), pet);

    let dog: Pet = Dog::new("dog").bark("woof").into();
    assert!(matches!(&dog, Pet::Dog(d) if d.bark.as_deref() == Some("woof")));

    // An unknown tag is kept as JSON, not an error.
    let other: Pet = serde_json::from_value(json!({"petType": "bird"})).expect("decodes");
    assert_eq!(other, Pet::Other(json!({"petType": "bird"})));

    // `String` and `Name` (an alias of it) are one Rust type: neither converts; `i64` does.
    let id: IdOrName = 7_i64.into();
    assert_eq!(id, IdOrName::Integer(7));
    assert_eq!(serde_json::to_value(&id).expect("encodes"), json!(7));
}
