//! Pagination recognized from a list operation's shape, for operations
//! without `x-pagination` (the explicit extension always wins).
//!
//! Three rules, each needing a `GET` with one JSON success response:
//!
//! - **cursor**: one string query parameter named like a cursor
//!   (`page_token`, `pageToken`, `cursor`, `starting_after`, `after`,
//!   `next_token`, `continuation_token`, Kubernetes' `continue`) and one string
//!   field named like the next cursor (`next_page_token`, `next_cursor`,
//!   `next`, `cursor`, `continue`, …, at the top of the page or one object
//!   down, e.g. `pagination.next_cursor`, `metadata.continue`);
//!   or, without such a field, Stripe's `has_more` with items that have an
//!   `id`: the next `starting_after` is the last item's id;
//! - **offset**: integer `offset` and `limit` query parameters (or
//!   Keycloak's `first` and `max`, integers or strings) and at most one integer total (`total`,
//!   `total_count`, `total_results`); without a total the stream ends on an
//!   empty page. The page is an object with one array field, or (with
//!   `first`/`max`, which name nothing else) the array itself;
//! - **page**: integer `page` and page-size (`per_page`, `page_size`, `size`,
//!   `limit`) query parameters, and a page that is an object with one array
//!   field; at most one integer page count (`total_pages`, `page_count`,
//!   `last_page`, `num_pages`), else the stream ends on an empty page;
//! - **link**: the page is an array and the operation documents a `Link`
//!   response header, or has `page` and `per_page` parameters (GitHub).
//!
//! The cursor, offset and page rules need exactly one array field (the items) in
//! the page. When no rule or more than one matches, the operation gets no
//! stream: a wrong stream is worse than none.

use openapiv3::{ReferenceOr, StatusCode};

use super::build::Builder;
use super::{Field, FieldHop, Operation, Pagination, PaginationStyle, ParamLocation, ResponseKind, TypeKind, TypeRef};

/// Cursor request parameters, normalized (lower case, letters and digits only).
const CURSOR_PARAMS: &[&str] =
    &["pagetoken", "cursor", "startingafter", "after", "nexttoken", "continuationtoken", "continue"];
/// Next-cursor response fields, normalized.
const NEXT_FIELDS: &[&str] = &[
    "nextpagetoken",
    "nextcursor",
    "next",
    "cursor",
    "nexttoken",
    "continuationtoken",
    "nextcontinuationtoken",
    "continue",
];
/// Offset and page-size parameter pairs, normalized: `(offset, limit, Keycloak's)`.
/// `first`/`max` (Keycloak) pages are arrays, and its specs type both as
/// integers or as strings; a bare array with `offset`/`limit` is too common a
/// shape for lists that do not page to be taken for one.
const OFFSET_PAIRS: &[(&str, &str, bool)] = &[("offset", "limit", false), ("first", "max", true)];
/// Parameters a Stripe-style cursor (the last item's id) is sent in.
const LAST_ITEM_PARAMS: &[&str] = &["startingafter", "after"];
/// Total-count fields, normalized.
const TOTAL_FIELDS: &[&str] = &["total", "totalcount", "totalresults"];
/// Page-size parameters that go with a `page` number, normalized.
const PAGE_SIZE_PARAMS: &[&str] = &["perpage", "pagesize", "size", "limit"];
/// Page-count fields (the last page's number), normalized.
const LAST_PAGE_FIELDS: &[&str] = &["totalpages", "pagecount", "lastpage", "numpages"];

/// `page_token`, `pageToken` and `Page-Token` all read `pagetoken`.
fn normalize(name: &str) -> String {
    name.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// A field found in the page: the hops to it, its wire path and its type.
struct Found {
    hops: Vec<FieldHop>,
    path: String,
    ty: TypeRef,
}

impl Builder<'_> {
    /// The pagination an operation's shape implies, if exactly one rule matches.
    pub fn infer_pagination(&self, operation: &Operation, op: &openapiv3::Operation) -> Option<Pagination> {
        if operation.http_method != "GET" {
            return None;
        }
        let page_type = match operation.responses.success.as_slice() {
            [case] => match &case.kind {
                ResponseKind::Json(ty) => ty.clone(),
                _ => return None,
            },
            _ => return None,
        };
        let candidates: Vec<Pagination> = [
            self.cursor_rule(operation, &page_type),
            self.offset_rule(operation, &page_type),
            self.page_rule(operation, &page_type),
            self.link_rule(operation, op, &page_type),
        ]
        .into_iter()
        .flatten()
        .collect();
        match <[Pagination; 1]>::try_from(candidates) {
            Ok([only]) => Some(only),
            Err(_) => None,
        }
    }

    fn cursor_rule(&self, operation: &Operation, page_type: &TypeRef) -> Option<Pagination> {
        let params = query_params(operation, CURSOR_PARAMS, |ty| *ty == TypeRef::String);
        let [param] = params.as_slice() else { return None };
        let (items, item_type) = self.single_items_field(page_type)?;
        let strings = self.find_fields(page_type, NEXT_FIELDS, |ty| *ty == TypeRef::String);
        // `next…` names say "the next cursor"; a bare `cursor` may be the current one.
        let next_named: Vec<&Found> = strings
            .iter()
            .filter(|f| normalize(f.path.rsplit('.').next().unwrap_or_default()).starts_with("next"))
            .collect();
        let next = match (next_named.as_slice(), strings.as_slice()) {
            ([only], _) => Some(*only),
            ([], [only]) => Some(only),
            ([], []) => None,
            _ => return None,
        };
        if let Some(next) = next {
            return Some(Pagination {
                rule: format!("cursor ({} -> {})", param.wire_name, next.path),
                style: PaginationStyle::Token { param: param.rust_name.clone(), next: next.hops.clone() },
                items,
                item_type,
                page_type: page_type.clone(),
            });
        }
        // Stripe: `has_more`, and the next page starts after the last item's id.
        if !LAST_ITEM_PARAMS.contains(&normalize(&param.wire_name).as_str()) {
            return None;
        }
        let flags = self.find_fields(page_type, &["hasmore"], |ty| *ty == TypeRef::Bool);
        let [has_more] = flags.as_slice() else { return None };
        let id = self.struct_fields(&item_type, 0)?.iter().find(|f| f.wire_name == "id")?;
        if !matches!(id.ty.unwrapped(), TypeRef::String | TypeRef::Integer(_) | TypeRef::Uuid) {
            return None;
        }
        Some(Pagination {
            rule: format!("cursor ({} <- last item id, {})", param.wire_name, has_more.path),
            style: PaginationStyle::LastItem {
                param: param.rust_name.clone(),
                has_more: has_more.hops.clone(),
                id: hop(id),
                id_type: id.ty.clone(),
            },
            items,
            item_type,
            page_type: page_type.clone(),
        })
    }

    fn offset_rule(&self, operation: &Operation, page_type: &TypeRef) -> Option<Pagination> {
        let integer = |ty: &TypeRef| matches!(ty, TypeRef::Integer(_));
        let pairs: Vec<(&super::Param, &str, bool)> = OFFSET_PAIRS
            .iter()
            .filter_map(|&(offset, limit, keycloak)| {
                let accept = |ty: &TypeRef| integer(ty) || (keycloak && *ty == TypeRef::String);
                let offsets = query_params(operation, &[offset], accept);
                let [param] = offsets.as_slice() else { return None };
                (query_params(operation, &[limit], accept).len() == 1).then_some((*param, limit, keycloak))
            })
            .collect();
        let [(offset, limit, bare_pages)] = pairs.as_slice() else { return None };
        // A bare array page is handed over as the array itself (as `Link` pages are).
        let (items, item_type, page_type) = match page_type.unwrapped() {
            TypeRef::Vec(item) if *bare_pages => (Vec::new(), (**item).clone(), page_type.unwrapped()),
            _ => {
                let (items, item_type) = self.single_items_field(page_type)?;
                (items, item_type, page_type)
            }
        };
        let totals = self.find_fields(page_type, TOTAL_FIELDS, |ty| matches!(ty, TypeRef::Integer(_)));
        let total = match totals.as_slice() {
            [total] => Some(total),
            [] => None,
            _ => return None,
        };
        let total_rule = total.map_or("no total".to_string(), |t| t.path.clone());
        Some(Pagination {
            rule: format!("offset ({}/{limit}, {total_rule})", offset.wire_name),
            style: PaginationStyle::Offset {
                offset_param: offset.rust_name.clone(),
                total: total.map(|total| (total.hops.clone(), total.ty.unwrapped().clone())),
            },
            items,
            item_type,
            page_type: page_type.clone(),
        })
    }

    fn page_rule(&self, operation: &Operation, page_type: &TypeRef) -> Option<Pagination> {
        let integer = |ty: &TypeRef| matches!(ty, TypeRef::Integer(_));
        let pages = query_params(operation, &["page"], integer);
        let sizes = query_params(operation, PAGE_SIZE_PARAMS, integer);
        let ([page], [size]) = (pages.as_slice(), sizes.as_slice()) else { return None };
        let (items, item_type) = self.single_items_field(page_type)?;
        let last_pages = self.find_fields(page_type, LAST_PAGE_FIELDS, integer);
        let last_page = match last_pages.as_slice() {
            [last_page] => Some(last_page),
            [] => None,
            _ => return None,
        };
        let last_page_rule = last_page.map_or("no page count".to_string(), |l| l.path.clone());
        Some(Pagination {
            rule: format!("page ({}/{}, {last_page_rule})", page.wire_name, size.wire_name),
            style: PaginationStyle::PageNumber {
                page_param: page.rust_name.clone(),
                last_page: last_page.map(|l| (l.hops.clone(), l.ty.unwrapped().clone())),
            },
            items,
            item_type,
            page_type: page_type.clone(),
        })
    }

    fn link_rule(&self, operation: &Operation, op: &openapiv3::Operation, page_type: &TypeRef) -> Option<Pagination> {
        let TypeRef::Vec(item_type) = page_type.unwrapped() else { return None };
        let documents_link = self.documents_link_header(op);
        let page_params = !query_params(operation, &["page"], |_| true).is_empty()
            && !query_params(operation, &["perpage"], |_| true).is_empty();
        if !documents_link && !page_params {
            return None;
        }
        let why = if documents_link { "Link header" } else { "page/per_page" };
        Some(Pagination {
            rule: format!("link ({why})"),
            style: PaginationStyle::Link,
            items: Vec::new(),
            item_type: (**item_type).clone(),
            page_type: page_type.unwrapped().clone(),
        })
    }

    /// Whether a 2xx response documents a `Link` header.
    fn documents_link_header(&self, op: &openapiv3::Operation) -> bool {
        op.responses.responses.iter().any(|(code, response)| {
            let success = match code {
                StatusCode::Code(code) => (200..300).contains(code),
                StatusCode::Range(range) => *range == 2,
            };
            let response = match response {
                ReferenceOr::Item(response) => Some(response),
                ReferenceOr::Reference { reference } => reference
                    .strip_prefix("#/components/responses/")
                    .and_then(|key| self.doc.components.as_ref()?.responses.get(key))
                    .and_then(ReferenceOr::as_item),
            };
            success && response.is_some_and(|r| r.headers.keys().any(|name| name.eq_ignore_ascii_case("link")))
        })
    }

    /// The page's only top-level array field: its hops and item type.
    fn single_items_field(&self, page_type: &TypeRef) -> Option<(Vec<FieldHop>, TypeRef)> {
        let arrays: Vec<&Field> =
            self.struct_fields(page_type, 0)?.iter().filter(|f| matches!(f.ty.unwrapped(), TypeRef::Vec(_))).collect();
        let [items] = arrays.as_slice() else { return None };
        let TypeRef::Vec(item) = items.ty.unwrapped() else { return None };
        Some((vec![hop(items)], (**item).clone()))
    }

    /// Fields named like one of `names` (normalized) whose type (without
    /// `Option`) passes `accept`: at the top of the page or one object down.
    fn find_fields(&self, page_type: &TypeRef, names: &[&str], accept: impl Fn(&TypeRef) -> bool) -> Vec<Found> {
        let mut found = Vec::new();
        let Some(fields) = self.struct_fields(page_type, 0) else { return found };
        let matches =
            |field: &Field| names.contains(&normalize(&field.wire_name).as_str()) && accept(field.ty.unwrapped());
        for field in fields {
            if matches(field) {
                found.push(Found { hops: vec![hop(field)], path: field.wire_name.clone(), ty: field.ty.clone() });
            }
            let Some(nested) = self.struct_fields(&field.ty, 0) else { continue };
            for inner in nested.iter().filter(|f| matches(f)) {
                found.push(Found {
                    hops: vec![hop(field), hop(inner)],
                    path: format!("{}.{}", field.wire_name, inner.wire_name),
                    ty: inner.ty.clone(),
                });
            }
        }
        found
    }

    /// The fields of the struct `ty` names, through `Option`, `Box` and aliases.
    fn struct_fields(&self, ty: &TypeRef, depth: usize) -> Option<&[Field]> {
        // Through `Option` and `Box` at each step: an alias target may be optional.
        let name = ty.direct_name()?;
        match &self.types.get(name)?.kind {
            TypeKind::Struct { fields, .. } => Some(fields),
            TypeKind::Alias(target) if depth < super::MAX_ALIAS_DEPTH => self.struct_fields(target, depth + 1),
            _ => None,
        }
    }
}

/// Query parameters named like one of `names` (normalized) whose type passes `accept`.
fn query_params<'o>(
    operation: &'o Operation,
    names: &[&str],
    accept: impl Fn(&TypeRef) -> bool,
) -> Vec<&'o super::Param> {
    operation
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query && !p.client_default)
        .filter(|p| names.contains(&normalize(&p.wire_name).as_str()) && accept(&p.ty))
        .collect()
}

fn hop(field: &Field) -> FieldHop {
    FieldHop { field: field.rust_name.clone(), optional: matches!(field.ty, TypeRef::Option(_)) }
}

#[cfg(test)]
mod tests {
    use crate::{generate_str, Layout, Options};

    /// `(operationId, rule)` of every paginated operation of a spec with `paths`.
    fn paginated(paths: &str) -> Vec<(String, String)> {
        let spec = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}");
        let options = Options { layout: Layout::Module { name: "t".into() }, preamble: String::new(), mock: false };
        generate_str(&spec, "t.yaml", &options).unwrap_or_else(|e| panic!("{e}")).report.paginated
    }

    fn op(id: &str, params: &str, schema: &str) -> String {
        format!("  /{id}:\n    get:\n      operationId: {id}\n      parameters: [{params}]\n      responses: {{'200': {{description: ok, content: {{application/json: {{schema: {schema}}}}}}}}}\n")
    }

    const ITEMS: &str = "data: {type: array, items: {type: object, properties: {id: {type: string}}}}";

    #[test]
    fn each_rule_is_recognized() {
        let q = |name: &str, ty: &str| format!("{{name: {name}, in: query, schema: {{type: {ty}}}}}");
        let cursor = op("a", &q("pageToken", "string"), &format!("{{type: object, properties: {{{ITEMS}, meta: {{type: object, properties: {{nextPageToken: {{type: string}}}}}}}}}}"));
        let stripe = op(
            "b",
            &q("starting_after", "string"),
            &format!("{{type: object, properties: {{{ITEMS}, has_more: {{type: boolean}}}}}}"),
        );
        let offset = op(
            "c",
            &format!("{}, {}", q("offset", "integer"), q("limit", "integer")),
            &format!("{{type: object, properties: {{{ITEMS}, total_count: {{type: integer}}}}}}"),
        );
        let link = op(
            "d",
            &format!("{}, {}", q("page", "integer"), q("per_page", "integer")),
            "{type: array, items: {type: string}}",
        );
        let rules = paginated(&[cursor, stripe, offset, link].concat());
        let expected = [
            ("a", "cursor (pageToken -> meta.nextPageToken)"),
            ("b", "cursor (starting_after <- last item id, has_more)"),
            ("c", "offset (offset/limit, total_count)"),
            ("d", "link (page/per_page)"),
        ];
        let expected: Vec<(String, String)> = expected.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        assert_eq!(rules, expected);
    }

    #[test]
    fn continue_first_max_and_offset_without_total() {
        let q = |name: &str, ty: &str| format!("{{name: {name}, in: query, schema: {{type: {ty}}}}}");
        let kubernetes = op(
            "a",
            &format!("{}, {}", q("continue", "string"), q("limit", "integer")),
            "{type: object, properties: {items: {type: array, items: {type: string}}, metadata: {type: object, properties: {continue: {type: string}, resourceVersion: {type: string}}}}}",
        );
        let keycloak = op(
            "b",
            &format!("{}, {}", q("first", "integer"), q("max", "integer")),
            "{type: array, items: {type: string}}",
        );
        let no_total = op(
            "c",
            &format!("{}, {}", q("offset", "integer"), q("limit", "integer")),
            &format!("{{type: object, properties: {{{ITEMS}}}}}"),
        );
        let keycloak_strings = op(
            "d",
            &format!("{}, {}", q("first", "string"), q("max", "string")),
            "{type: array, items: {type: string}}",
        );
        // A string `offset` is not taken for one.
        let string_offset = op(
            "e",
            &format!("{}, {}", q("offset", "string"), q("limit", "string")),
            &format!("{{type: object, properties: {{{ITEMS}}}}}"),
        );
        let rules = paginated(&[kubernetes, keycloak, no_total, keycloak_strings, string_offset].concat());
        let expected = [
            ("a", "cursor (continue -> metadata.continue)"),
            ("b", "offset (first/max, no total)"),
            ("c", "offset (offset/limit, no total)"),
            ("d", "offset (first/max, no total)"),
        ];
        let expected: Vec<(String, String)> = expected.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        assert_eq!(rules, expected);
    }

    #[test]
    fn page_numbers_in_an_object_page() {
        let q = |name: &str, ty: &str| format!("{{name: {name}, in: query, schema: {{type: {ty}}}}}");
        let with_count = op(
            "a",
            &format!("{}, {}", q("page", "integer"), q("per_page", "integer")),
            &format!("{{type: object, properties: {{{ITEMS}, meta: {{type: object, properties: {{total_pages: {{type: integer}}}}}}}}}}"),
        );
        let without_count = op(
            "b",
            &format!("{}, {}", q("page", "integer"), q("pageSize", "integer")),
            &format!("{{type: object, properties: {{{ITEMS}, total_items: {{type: integer}}}}}}"),
        );
        // Two page counts: which one is it?
        let two_counts = op(
            "c",
            &format!("{}, {}", q("page", "integer"), q("size", "integer")),
            &format!("{{type: object, properties: {{{ITEMS}, total_pages: {{type: integer}}, page_count: {{type: integer}}}}}}"),
        );
        // A page number without a page size, and a string page: not taken for one.
        let no_size = op("d", &q("page", "integer"), &format!("{{type: object, properties: {{{ITEMS}}}}}"));
        let string_page = op(
            "e",
            &format!("{}, {}", q("page", "string"), q("per_page", "integer")),
            &format!("{{type: object, properties: {{{ITEMS}}}}}"),
        );
        // Page numbers beside offsets: ambiguous.
        let with_offset = op(
            "f",
            &format!("{}, {}, {}", q("page", "integer"), q("offset", "integer"), q("limit", "integer")),
            &format!("{{type: object, properties: {{{ITEMS}}}}}"),
        );
        let rules = paginated(&[with_count, without_count, two_counts, no_size, string_page, with_offset].concat());
        let expected = [("a", "page (page/per_page, meta.total_pages)"), ("b", "page (page/pageSize, no page count)")];
        let expected: Vec<(String, String)> = expected.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        assert_eq!(rules, expected);
    }

    #[test]
    fn ambiguous_offsets_give_no_stream() {
        let q = |name: &str| format!("{{name: {name}, in: query, schema: {{type: integer}}}}");
        // Both pairs: which one pages?
        let both = op(
            "a",
            &[q("offset"), q("limit"), q("first"), q("max")].join(", "),
            &format!("{{type: object, properties: {{{ITEMS}}}}}"),
        );
        // Two totals.
        let two_totals = op(
            "b",
            &format!("{}, {}", q("offset"), q("limit")),
            &format!("{{type: object, properties: {{{ITEMS}, total: {{type: integer}}, meta: {{type: object, properties: {{total_count: {{type: integer}}}}}}}}}}"),
        );
        // `offset`/`limit` over a bare array: too common in lists that do not page.
        let bare = op("c", &format!("{}, {}", q("offset"), q("limit")), "{type: array, items: {type: string}}");
        assert_eq!(paginated(&[both, two_totals, bare].concat()), Vec::new());
    }

    #[test]
    fn ambiguity_and_missing_pieces_give_no_stream() {
        let q = |name: &str| format!("{{name: {name}, in: query, schema: {{type: string}}}}");
        // Two array fields: which one holds the items?
        let two_arrays = op("a", &q("cursor"), "{type: object, properties: {a: {type: array, items: {type: string}}, b: {type: array, items: {type: string}}, next_cursor: {type: string}}}");
        // Two cursor parameters.
        let two_params = op(
            "b",
            &format!("{}, {}", q("cursor"), q("after")),
            &format!("{{type: object, properties: {{{ITEMS}, next_cursor: {{type: string}}}}}}"),
        );
        // A cursor parameter but no next-cursor field nor `has_more`.
        let no_next = op("c", &q("cursor"), &format!("{{type: object, properties: {{{ITEMS}}}}}"));
        // An array without `page`/`per_page` or a `Link` header.
        let plain_array = op("d", &q("filter"), "{type: array, items: {type: string}}");
        assert_eq!(paginated(&[two_arrays, two_params, no_next, plain_array].concat()), Vec::new());
    }

    #[test]
    fn the_extension_wins_and_link_headers_count() {
        let explicit = "  /a:\n    get:\n      operationId: a\n      x-pagination: {style: token, items: data, request-token: cursor, response-token: next_cursor}\n      parameters: [{name: cursor, in: query, schema: {type: string}}]\n      responses: {'200': {description: ok, content: {application/json: {schema: {type: object, properties: {data: {type: array, items: {type: string}}, next_cursor: {type: string}}}}}}}\n";
        let link = "  /b:\n    get:\n      operationId: b\n      responses: {'200': {description: ok, headers: {Link: {schema: {type: string}}}, content: {application/json: {schema: {type: array, items: {type: integer}}}}}}\n";
        let rules = paginated(&[explicit, link].concat());
        assert_eq!(
            rules,
            vec![
                ("a".to_string(), "x-pagination (token)".to_string()),
                ("b".to_string(), "link (Link header)".to_string())
            ]
        );
    }
}
