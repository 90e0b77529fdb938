//! The API surface as text: one line per operation and one per type, in a
//! stable order. It is what a reviewer reads when a spec changes (snapshotted
//! in `tests/`), and what API diffs compare.

use std::fmt::Write;

use crate::model::{Api, IntWidth, Operation, ParamLocation, ResponseKind, TypeDef, TypeKind, TypeRef};

/// The surface listing of `api`.
pub fn listing(api: &Api) -> String {
    let mut out = String::new();
    for op in &api.operations {
        let _ = writeln!(out, "{}", operation_line(op));
    }
    for def in api.types.values() {
        let _ = writeln!(out, "{}", type_line(def));
    }
    out
}

/// `op list_pets (listPets) GET /pets [tag pets] (owner: String) [limit: i32] -> Vec<Pet> | errors 4XX ClientError: Error`
pub fn operation_line(op: &Operation) -> String {
    let arguments: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.required && !p.client_default)
        .map(|p| format!("{}: {}", p.rust_name, type_text(&p.ty)))
        .chain(op.body.iter().filter(|b| b.required).map(|b| format!("body: {}", type_text(&b.ty))))
        .collect();
    let setters: Vec<String> = op
        .params
        .iter()
        .filter(|p| !p.required && !p.client_default)
        .map(|p| {
            let location = match p.location {
                ParamLocation::Path => "path",
                ParamLocation::Query => "query",
                ParamLocation::Header => "header",
                ParamLocation::Cookie => "cookie",
            };
            format!("{}: {} ({location})", p.rust_name, type_text(&p.ty))
        })
        .chain(op.body.iter().filter(|b| !b.required).map(|b| format!("body: {}", type_text(&b.ty))))
        .collect();
    let output = match &op.responses.success_enum {
        Some(name) => name.clone(),
        None => op.responses.success.first().map(|c| kind_text(&c.kind)).unwrap_or_else(|| "()".into()),
    };
    let errors: Vec<String> =
        op.responses.errors.iter().map(|c| error_case_text(&c.status, &c.variant, &c.kind)).collect();
    let mut line = format!(
        "op {} ({}) {} {} [tag {}] ({}) [{}] -> {output}",
        op.method_name,
        op.operation_id,
        op.http_method,
        op.path,
        op.tag,
        arguments.join(", "),
        setters.join(", "),
    );
    if !errors.is_empty() {
        let _ = write!(line, " | errors {}", errors.join(", "));
    }
    if op.pagination.is_some() {
        line.push_str(" | paginated");
    }
    if op.deprecated {
        line.push_str(" | deprecated");
    }
    line
}

/// `type Pet struct { id: i64, name: String, tag?: String }`
pub fn type_line(def: &TypeDef) -> String {
    let deprecated = if def.docs.deprecated { " deprecated" } else { "" };
    let body = match &def.kind {
        TypeKind::Struct { fields, additional } => {
            let mut parts: Vec<String> = fields
                .iter()
                .map(|f| {
                    let marker = if matches!(f.ty, TypeRef::Option(_)) && !f.required { "?" } else { "" };
                    let ty = match &f.ty {
                        TypeRef::Option(inner) if !f.required => type_text(inner),
                        other => type_text(other),
                    };
                    format!("{}{marker}: {ty}", f.wire_name)
                })
                .collect();
            if let Some(additional) = additional {
                parts.push(format!("..: {}", type_text(additional)));
            }
            format!("struct {{ {} }}", parts.join(", "))
        }
        TypeKind::Enum { values } => {
            let values: Vec<&str> = values.iter().map(|v| v.wire.as_str()).collect();
            format!("enum {{ {} }}", values.join(" | "))
        }
        TypeKind::Union { variants, discriminator } => {
            let variants: Vec<String> =
                variants.iter().map(|v| format!("{}({})", v.rust_name, type_text(&v.ty))).collect();
            match discriminator {
                Some(property) => format!("oneOf by {property} {{ {} }}", variants.join(" | ")),
                None => format!("oneOf {{ {} }}", variants.join(" | ")),
            }
        }
        TypeKind::Responses { variants } => {
            let variants: Vec<String> = variants
                .iter()
                .map(|v| match &v.body {
                    Some(ty) => format!("{}({})", v.rust_name, type_text(ty)),
                    None => v.rust_name.clone(),
                })
                .collect();
            format!("responses {{ {} }}", variants.join(" | "))
        }
        TypeKind::Alias(target) => format!("= {}", type_text(target)),
    };
    format!("type {}{deprecated} {body}", def.name)
}

/// `404 NotFound: Error`, `default: Error`: the status, its variant in the
/// operation's error enum (when not simply `Default`) and its body.
fn error_case_text(status: &str, variant: &str, kind: &ResponseKind) -> String {
    if status == "default" {
        format!("default: {}", kind_text(kind))
    } else {
        format!("{status} {variant}: {}", kind_text(kind))
    }
}

fn kind_text(kind: &ResponseKind) -> String {
    match kind {
        ResponseKind::Empty => "()".into(),
        ResponseKind::Json(ty) => type_text(ty),
        ResponseKind::Text => "String".into(),
        ResponseKind::Bytes => "Bytes".into(),
    }
}

/// A short Rust-like spelling of a type.
pub fn type_text(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::String => "String".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::Integer(width) => match width {
            IntWidth::I8 => "i8",
            IntWidth::I16 => "i16",
            IntWidth::I32 => "i32",
            IntWidth::I64 => "i64",
            IntWidth::U8 => "u8",
            IntWidth::U16 => "u16",
            IntWidth::U32 => "u32",
            IntWidth::U64 => "u64",
        }
        .into(),
        TypeRef::Float(true) => "f64".into(),
        TypeRef::Float(false) => "f32".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::Uuid => "Uuid".into(),
        TypeRef::Base64 => "Base64".into(),
        TypeRef::Binary => "Bytes".into(),
        TypeRef::Json => "Json".into(),
        TypeRef::JsonObject => "JsonObject".into(),
        TypeRef::Vec(inner) => format!("Vec<{}>", type_text(inner)),
        TypeRef::Map(inner) => format!("Map<{}>", type_text(inner)),
        TypeRef::Option(inner) => format!("Option<{}>", type_text(inner)),
        TypeRef::Boxed(inner) => format!("Box<{}>", type_text(inner)),
        TypeRef::Tuple(members) => format!("({})", members.iter().map(type_text).collect::<Vec<_>>().join(", ")),
    }
}
