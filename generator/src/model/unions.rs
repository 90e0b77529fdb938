//! Untagged unions: which variant a payload selects.
//!
//! Serde's `untagged` takes the first variant that deserializes. Enums have an
//! `Unknown` fallback, so a variant told apart only by a one-value enum
//! property (`type: range` vs `type: value`) accepts any string there and
//! swallows its siblings' payloads. Here each variant of an untagged union
//! gets its *guards*: the required properties whose schema allows one value.
//! The emitted `Deserialize` tries a guarded variant only when the payload
//! carries those values (see `emit/types.rs`).
//!
//! When an earlier variant still accepts every payload of a later one (a free
//! string before an enum, a struct whose required properties and guards are a
//! subset of a later struct's), no rule separates them: the generator says so
//! in a warning at the union.

use indexmap::IndexMap;

use super::{TypeDef, TypeKind, TypeRef};
use crate::diagnostics::Diagnostics;

/// Sets the guards of every untagged union's variants and warns about
/// variants that can never be selected.
pub fn guard_untagged(types: &mut IndexMap<String, TypeDef>, diagnostics: &mut Diagnostics) {
    let mut updates = Vec::new();
    for (name, def) in types.iter() {
        let TypeKind::Union { variants, discriminator: None } = &def.kind else { continue };
        let shapes: Vec<Shape> = variants.iter().map(|v| shape_of(types, &v.ty, 0)).collect();
        for (later, later_shape) in shapes.iter().enumerate() {
            if let Some(earlier) = (0..later).find(|&earlier| shadows(&shapes[earlier], later_shape)) {
                diagnostics.warn(
                    &def.pointer,
                    None,
                    format!(
                        "union `{name}`: every value of variant `{}` also decodes as `{}`, listed before it, and no required property with a fixed value tells them apart; `{}` is never decoded",
                        variants[later].rust_name, variants[earlier].rust_name, variants[later].rust_name
                    ),
                );
            }
        }
        let guards: Vec<Vec<(String, String)>> = shapes
            .iter()
            .map(|shape| match shape {
                Shape::Object { guards, .. } => guards.clone(),
                _ => Vec::new(),
            })
            .collect();
        if guards.iter().any(|g| !g.is_empty()) {
            updates.push((name.clone(), guards));
        }
    }
    for (name, guards) in updates {
        if let Some(TypeDef { kind: TypeKind::Union { variants, .. }, .. }) = types.get_mut(&name) {
            for (variant, guards) in variants.iter_mut().zip(guards) {
                variant.guards = guards;
            }
        }
    }
}

/// What JSON values a variant's type accepts, as far as telling variants apart goes.
#[derive(Debug, Clone, PartialEq)]
enum Shape {
    /// Any JSON value.
    Any,
    /// Strings: `open` when any string decodes (`String`, an enum with `Unknown`).
    Text {
        open: bool,
    },
    Integer,
    Number,
    Bool,
    /// Any object (a free-form map).
    AnyObject,
    /// A struct: its required properties (wire name, type) and guards.
    Object {
        required: Vec<(String, TypeRef)>,
        guards: Vec<(String, String)>,
    },
    /// Arrays, typed maps, nested unions: never reported.
    Opaque,
}

fn shape_of(types: &IndexMap<String, TypeDef>, ty: &TypeRef, depth: usize) -> Shape {
    if depth > 8 {
        return Shape::Opaque;
    }
    match ty {
        TypeRef::Json => Shape::Any,
        TypeRef::String => Shape::Text { open: true },
        TypeRef::DateTime | TypeRef::Date | TypeRef::Uuid | TypeRef::Base64 => Shape::Text { open: false },
        TypeRef::Integer(_) => Shape::Integer,
        TypeRef::Float(_) => Shape::Number,
        TypeRef::Bool => Shape::Bool,
        TypeRef::JsonObject => Shape::AnyObject,
        TypeRef::Boxed(inner) => shape_of(types, inner, depth + 1),
        TypeRef::Named(name) => match types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Enum { .. }) => Shape::Text { open: true },
            Some(TypeKind::Alias(target)) => shape_of(types, target, depth + 1),
            Some(TypeKind::Struct { fields, .. }) => {
                let required: Vec<(String, TypeRef)> = fields
                    .iter()
                    .filter(|f| f.required && !matches!(f.ty, TypeRef::Option(_)))
                    .map(|f| (f.wire_name.clone(), f.ty.clone()))
                    .collect();
                let guards =
                    required.iter().filter_map(|(wire, ty)| Some((wire.clone(), single_value(types, ty)?))).collect();
                Shape::Object { required, guards }
            }
            _ => Shape::Opaque,
        },
        _ => Shape::Opaque,
    }
}

/// The one value of a one-value string enum type.
fn single_value(types: &IndexMap<String, TypeDef>, ty: &TypeRef) -> Option<String> {
    let TypeRef::Named(name) = ty else { return None };
    match &types.get(name)?.kind {
        TypeKind::Enum { values } if values.len() == 1 => Some(values[0].wire.clone()),
        _ => None,
    }
}

/// Whether every value `later` accepts is taken by `earlier` first.
fn shadows(earlier: &Shape, later: &Shape) -> bool {
    match (earlier, later) {
        (Shape::Any, _) => true,
        (Shape::Text { open: true }, Shape::Text { .. }) => true,
        (Shape::Number, Shape::Integer | Shape::Number) | (Shape::Integer, Shape::Integer) => true,
        (Shape::Bool, Shape::Bool) => true,
        (Shape::AnyObject, Shape::Object { .. } | Shape::AnyObject) => true,
        (
            Shape::Object { required: earlier_required, guards: earlier_guards },
            Shape::Object { required: later_required, guards: later_guards },
        ) => {
            earlier_guards.iter().all(|g| later_guards.contains(g))
                && earlier_required.iter().all(|r| later_required.contains(r))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    fn generate(spec: &str) -> crate::Output {
        let options =
            crate::Options { layout: crate::Layout::Module { name: "t".into() }, preamble: String::new(), mock: false };
        crate::generate_str(spec, "t.yaml", &options).unwrap_or_else(|e| panic!("{e}"))
    }

    const HEADER: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n";

    #[test]
    fn one_value_enums_become_guards() {
        let spec = format!(
            "{HEADER}    Filter:\n      oneOf: [{{$ref: '#/components/schemas/Range'}}, {{$ref: '#/components/schemas/Value'}}]\n    Range:\n      type: object\n      required: [type, start]\n      properties: {{type: {{type: string, enum: [range]}}, start: {{type: integer}}}}\n    Value:\n      type: object\n      required: [type]\n      properties: {{type: {{type: string, enum: [value]}}, value: {{type: string}}}}\n"
        );
        let output = generate(&spec);
        let super::TypeKind::Union { variants, .. } = &output.api.types["Filter"].kind else { panic!() };
        assert_eq!(variants[0].guards, vec![("type".to_string(), "range".to_string())]);
        assert_eq!(variants[1].guards, vec![("type".to_string(), "value".to_string())]);
        assert!(output.report.warnings.is_empty(), "{:?}", output.report.warnings);
    }

    #[test]
    fn inseparable_variants_are_reported() {
        let spec = format!(
            "{HEADER}    Either:\n      oneOf: [{{$ref: '#/components/schemas/Loose'}}, {{$ref: '#/components/schemas/Strict'}}, {{type: string}}, {{$ref: '#/components/schemas/Kind'}}]\n    Loose:\n      type: object\n      properties: {{a: {{type: string}}}}\n    Strict:\n      type: object\n      required: [b]\n      properties: {{b: {{type: string}}}}\n    Kind: {{type: string, enum: [x, y]}}\n"
        );
        let output = generate(&spec);
        let warnings: Vec<String> = output.report.warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("variant `Strict` also decodes as `Loose`"), "{warnings:?}");
        assert!(warnings[1].contains("variant `Kind` also decodes as `String`"), "{warnings:?}");
    }
}
