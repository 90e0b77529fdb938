//! Declared pagination (`x-pagination` on an operation) resolved against the
//! page type, so the emitter gets field accessors, not dotted strings.
//!
//! ```yaml
//! x-pagination: {style: token, items: items, request-token: page_token, response-token: pagination.next_page_token}
//! x-pagination: {style: offset, items: data, offset: offset, limit: limit, total: pagination.total}
//! ```

use serde_json::Value;

use super::build::Builder;
use super::{FieldHop, Operation, Pagination, PaginationStyle, ParamLocation, ResponseKind, TypeKind, TypeRef};

impl Builder<'_> {
    /// Reads an `x-pagination` declaration; a declaration that does not fit the
    /// operation is reported and ignored (the operation still has `send`).
    pub fn pagination(&mut self, operation: &Operation, declaration: &Value) -> Option<Pagination> {
        let pointer = format!("{}/x-pagination", operation.pointer);
        match self.resolve_pagination(operation, declaration) {
            Ok(pagination) => Some(pagination),
            Err(reason) => {
                self.warn(&pointer, format!("pagination ignored: {reason}"));
                None
            }
        }
    }

    fn resolve_pagination(&self, operation: &Operation, declaration: &Value) -> Result<Pagination, String> {
        let text = |key: &str| declaration.get(key).and_then(Value::as_str);
        let page_type = match operation.responses.success.as_slice() {
            [case] => match &case.kind {
                ResponseKind::Json(ty) => ty.clone(),
                _ => return Err("the success response is not JSON".into()),
            },
            _ => return Err("the operation needs exactly one success response".into()),
        };
        let items_path = text("items").ok_or("missing `items`")?;
        let (items, items_type) = self.field_path(&page_type, items_path)?;
        let item_type = match strip_option(&items_type) {
            TypeRef::Vec(item) => (**item).clone(),
            _ => return Err(format!("`{items_path}` is not an array")),
        };
        let query_param = |wire: &str| {
            operation
                .params
                .iter()
                .find(|p| p.wire_name == wire && p.location == ParamLocation::Query)
                .map(|p| p.rust_name.clone())
                .ok_or(format!("no query parameter `{wire}`"))
        };
        let style = match text("style") {
            Some("token") | Some("cursor") => {
                let param = query_param(text("request-token").ok_or("missing `request-token`")?)?;
                let next_path = text("response-token").ok_or("missing `response-token`")?;
                let (next, next_type) = self.field_path(&page_type, next_path)?;
                if *strip_option(&next_type) != TypeRef::String {
                    return Err(format!("`{next_path}` is not a string"));
                }
                PaginationStyle::Token { param, next }
            }
            Some("offset") => {
                let offset_param = query_param(text("offset").ok_or("missing `offset`")?)?;
                let offset_is_integer =
                    operation.params.iter().any(|p| p.rust_name == offset_param && matches!(p.ty, TypeRef::Integer(_)));
                if !offset_is_integer {
                    return Err("the offset parameter is not an integer".into());
                }
                let total = match text("total") {
                    Some(path) => {
                        let (hops, total_type) = self.field_path(&page_type, path)?;
                        if !matches!(strip_option(&total_type), TypeRef::Integer(_)) {
                            return Err(format!("`{path}` is not an integer"));
                        }
                        Some((hops, strip_option(&total_type).clone()))
                    }
                    None => None,
                };
                PaginationStyle::Offset { offset_param, total }
            }
            other => return Err(format!("unknown style {other:?}")),
        };
        let rule = match &style {
            PaginationStyle::Offset { .. } => "x-pagination (offset)",
            _ => "x-pagination (token)",
        };
        Ok(Pagination { style, items, item_type, page_type, rule: rule.to_string() })
    }

    /// Follows `a.b.c` through struct fields (by wire name) from `root`.
    fn field_path(&self, root: &TypeRef, path: &str) -> Result<(Vec<FieldHop>, TypeRef), String> {
        let mut current = root.clone();
        let mut hops = Vec::new();
        for segment in path.split('.') {
            let name = strip_option(&current).direct_name().ok_or(format!("`{path}`: not an object at `{segment}`"))?;
            let def = self.types.get(name).ok_or(format!("`{path}`: unknown type {name}"))?;
            let field = match &def.kind {
                TypeKind::Struct { fields, .. } => fields.iter().find(|f| f.wire_name == segment),
                _ => None,
            }
            .ok_or(format!("`{path}`: no field `{segment}`"))?;
            hops.push(FieldHop { field: field.rust_name.clone(), optional: matches!(field.ty, TypeRef::Option(_)) });
            current = field.ty.clone();
        }
        Ok((hops, current))
    }
}

fn strip_option(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::Option(inner) | TypeRef::Boxed(inner) => strip_option(inner),
        other => other,
    }
}
