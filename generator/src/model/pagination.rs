//! Declared pagination (`x-pagination` on an operation) resolved against the
//! page type, so the emitter gets field accessors, not dotted strings.
//!
//! ```yaml
//! x-pagination: {style: token, items: items, request-token: page_token, response-token: pagination.next_page_token}
//! x-pagination: {style: offset, items: data, offset: offset, limit: limit, total: pagination.total}
//! x-pagination: {style: page, items: results, page: page, last-page: total_pages}
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
        let item_type = match items_type.unwrapped() {
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
                if *next_type.unwrapped() != TypeRef::String {
                    return Err(format!("`{next_path}` is not a string"));
                }
                PaginationStyle::Token { param, next }
            }
            Some("offset") => {
                let offset_param = query_param(text("offset").ok_or("missing `offset`")?)?;
                integer_param(operation, &offset_param, "offset")?;
                let total = text("total").map(|path| self.integer_field(&page_type, path)).transpose()?;
                PaginationStyle::Offset { offset_param, total }
            }
            Some("page") => {
                let page_param = query_param(text("page").ok_or("missing `page`")?)?;
                integer_param(operation, &page_param, "page")?;
                let last_page = text("last-page").map(|path| self.integer_field(&page_type, path)).transpose()?;
                PaginationStyle::PageNumber { page_param, last_page }
            }
            other => return Err(format!("unknown style {other:?}")),
        };
        let rule = match &style {
            PaginationStyle::Offset { .. } => "x-pagination (offset)",
            PaginationStyle::PageNumber { .. } => "x-pagination (page)",
            _ => "x-pagination (token)",
        };
        Ok(Pagination { style, items, item_type, page_type, rule: rule.to_string() })
    }

    /// The accessor to an integer field at `path` (a total, a page count) and its type.
    fn integer_field(&self, page_type: &TypeRef, path: &str) -> Result<(Vec<FieldHop>, TypeRef), String> {
        let (hops, ty) = self.field_path(page_type, path)?;
        match ty.unwrapped() {
            integer @ TypeRef::Integer(_) => Ok((hops, integer.clone())),
            _ => Err(format!("`{path}` is not an integer")),
        }
    }

    /// Follows `a.b.c` through struct fields (by wire name) from `root`.
    fn field_path(&self, root: &TypeRef, path: &str) -> Result<(Vec<FieldHop>, TypeRef), String> {
        let mut current = root.clone();
        let mut hops = Vec::new();
        for segment in path.split('.') {
            let name = current.direct_name().ok_or(format!("`{path}`: not an object at `{segment}`"))?;
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

/// Checks that the parameter named `rust_name` is an integer (`what` names its role in errors).
fn integer_param(operation: &Operation, rust_name: &str, what: &str) -> Result<(), String> {
    let integer = operation.params.iter().any(|p| p.rust_name == rust_name && matches!(p.ty, TypeRef::Integer(_)));
    if integer {
        Ok(())
    } else {
        Err(format!("the {what} parameter is not an integer"))
    }
}

#[cfg(test)]
mod tests {
    use crate::{generate_str, Layout, Options};

    /// `(operationId, rule)` of the paginated operations and the warnings of a
    /// `GET /rows` declaring `declaration` over a page of `results` and `total_pages`.
    fn declared(declaration: &str) -> (Vec<(String, String)>, Vec<String>) {
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /rows:\n    get:\n      operationId: listRows\n      x-pagination: {declaration}\n      parameters: [{{name: page, in: query, schema: {{type: integer}}}}, {{name: cursor, in: query, schema: {{type: string}}}}]\n      responses: {{'200': {{description: ok, content: {{application/json: {{schema: {{type: object, properties: {{results: {{type: array, items: {{type: string}}}}, total_pages: {{type: integer}}, next: {{type: string}}}}}}}}}}}}}}\n"
        );
        let options = Options { layout: Layout::Module { name: "t".into() }, preamble: String::new(), mock: false };
        let output = generate_str(&spec, "t.yaml", &options).unwrap_or_else(|e| panic!("{e}"));
        (output.report.paginated, output.report.warnings.iter().map(|w| w.message.clone()).collect())
    }

    #[test]
    fn page_numbers_are_declared_with_an_optional_page_count() {
        let rule = |declaration| declared(declaration).0;
        let listed = |rule: &str| vec![("listRows".to_string(), rule.to_string())];
        assert_eq!(
            rule("{style: page, items: results, page: page, last-page: total_pages}"),
            listed("x-pagination (page)")
        );
        assert_eq!(rule("{style: page, items: results, page: page}"), listed("x-pagination (page)"));
    }

    #[test]
    fn a_declaration_that_does_not_fit_is_reported_and_ignored() {
        let (rules, warnings) = declared("{style: page, items: results, page: cursor}");
        assert!(rules.is_empty());
        assert!(warnings.iter().any(|w| w.contains("the page parameter is not an integer")), "{warnings:?}");
        let (rules, warnings) = declared("{style: page, items: results, page: page, last-page: next}");
        assert!(rules.is_empty());
        assert!(warnings.iter().any(|w| w.contains("`next` is not an integer")), "{warnings:?}");
    }
}
