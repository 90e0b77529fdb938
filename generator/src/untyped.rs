//! The untyped report: every field, alias and union variant whose Rust type
//! holds a `serde_json::Value` (or a free-form JSON object), and why.
//!
//! A value is untyped either because the spec says "any value" (a schema with
//! no `type`, an object without properties) or because the generator could not
//! type what the spec says (an unreadable schema, a dangling reference, a
//! construct it does not support): the latter always left a warning at, inside
//! or around the schema's JSON pointer, which is how the two are told apart.

use std::fmt;

use crate::diagnostics::{escape_pointer_token, Warning};
use crate::model::{Api, TypeKind, TypeRef};

/// What kind of item holds the untyped value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UntypedItem {
    /// A struct field (or a struct's typed `additionalProperties`).
    Field,
    /// `pub type Name = …;`.
    Alias,
    /// A `oneOf`/`anyOf` variant.
    Variant,
}

/// Why a value is untyped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UntypedReason {
    /// The schema itself accepts any value.
    SpecSaysAny,
    /// The generator degraded what the spec says; a warning names the construct.
    Unsupported,
}

/// One untyped item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Untyped {
    /// Field, alias or variant.
    pub item: UntypedItem,
    /// `Type` or `Type.field` / `Type::Variant`.
    pub name: String,
    /// The JSON pointer of the schema (in the document as read, 3.0 shape).
    pub pointer: String,
    /// Why.
    pub reason: UntypedReason,
}

impl fmt::Display for UntypedItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            UntypedItem::Field => "field",
            UntypedItem::Alias => "alias",
            UntypedItem::Variant => "variant",
        })
    }
}

impl fmt::Display for UntypedReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            UntypedReason::SpecSaysAny => "spec says any",
            UntypedReason::Unsupported => "unsupported construct",
        })
    }
}

/// Whether `ty` holds a JSON value anywhere (`Option<Vec<Value>>` does).
pub fn holds_json(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Json | TypeRef::JsonObject => true,
        other => other.children().iter().any(holds_json),
    }
}

/// Every untyped field, alias and variant of `api`, in type order.
pub fn untyped_items(api: &Api, warnings: &[Warning]) -> Vec<Untyped> {
    // Warnings on a Swagger 2.0 document point into its 2.0 shape.
    let warned: Vec<String> = warnings
        .iter()
        .map(|w| w.location.pointer.clone())
        .map(|p| match p.strip_prefix("/definitions/") {
            Some(rest) => format!("/components/schemas/{rest}"),
            None => p,
        })
        .collect();
    let reason = |pointer: &str| {
        let related = warned.iter().any(|w| {
            w == pointer
                || w.strip_prefix(pointer).is_some_and(|rest| rest.starts_with('/'))
                || (!w.is_empty() && pointer.strip_prefix(w.as_str()).is_some_and(|rest| rest.starts_with('/')))
        });
        if related {
            UntypedReason::Unsupported
        } else {
            UntypedReason::SpecSaysAny
        }
    };
    let mut out = Vec::new();
    for def in api.types.values() {
        match &def.kind {
            TypeKind::Struct { fields, additional } => {
                for field in fields.iter().filter(|f| holds_json(&f.ty)) {
                    let pointer = format!("{}/properties/{}", def.pointer, escape_pointer_token(&field.wire_name));
                    let reason = reason(&pointer);
                    out.push(Untyped {
                        item: UntypedItem::Field,
                        name: format!("{}.{}", def.name, field.rust_name),
                        pointer,
                        reason,
                    });
                }
                if additional.as_ref().is_some_and(holds_json) {
                    let pointer = format!("{}/additionalProperties", def.pointer);
                    let reason = reason(&pointer);
                    out.push(Untyped {
                        item: UntypedItem::Field,
                        name: format!("{}.additional_properties", def.name),
                        pointer,
                        reason,
                    });
                }
            }
            TypeKind::Alias(ty) if holds_json(ty) => {
                let reason = reason(&def.pointer);
                out.push(Untyped {
                    item: UntypedItem::Alias,
                    name: def.name.clone(),
                    pointer: def.pointer.clone(),
                    reason,
                });
            }
            TypeKind::Union { variants, .. } => {
                for variant in variants.iter().filter(|v| holds_json(&v.ty)) {
                    let reason = reason(&def.pointer);
                    out.push(Untyped {
                        item: UntypedItem::Variant,
                        name: format!("{}::{}", def.name, variant.rust_name),
                        pointer: def.pointer.clone(),
                        reason,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn untyped(spec: &str) -> Vec<Untyped> {
        let options =
            crate::Options { layout: crate::Layout::Module { name: "t".into() }, preamble: String::new(), mock: false };
        let output = crate::generate_str(spec, "t.yaml", &options).unwrap_or_else(|e| panic!("{e}"));
        output.report.untyped
    }

    #[test]
    fn any_by_spec_and_by_degrading_are_told_apart() {
        let spec = r##"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{},
            "components":{"schemas":{
              "Bad":{"type":"string","maxLength":"long"},
              "Holder":{"type":"object","properties":{"anything":{},"name":{"type":"string"},
                     "list":{"type":"array","items":{"$ref":"#/components/schemas/Missing"}}}}}}}"##;
        let items = untyped(spec);
        let summary: Vec<(String, UntypedItem, UntypedReason)> =
            items.iter().map(|u| (u.name.clone(), u.item, u.reason)).collect();
        assert_eq!(
            summary,
            vec![
                ("Bad".to_string(), UntypedItem::Alias, UntypedReason::Unsupported),
                ("Holder.anything".to_string(), UntypedItem::Field, UntypedReason::SpecSaysAny),
                ("Holder.list".to_string(), UntypedItem::Field, UntypedReason::Unsupported),
            ]
        );
        assert_eq!(items[2].pointer, "/components/schemas/Holder/properties/list");
    }
}
