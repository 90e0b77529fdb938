//! Changes to the client and to operations: parameters, bodies, responses, pagination.

use super::*;

pub(crate) fn client_changes(old: &Api, new: &Api, out: &mut Changes) {
    for param in &old.client_params {
        if !new.client_params.iter().any(|p| p.rust_name == param.rust_name) {
            out.push(
                ChangeKind::ClientParamRemoved,
                "Client",
                format!("builder setter `.{}()` removed (header `{}`)", param.rust_name, param.wire_name),
                Class::Breaking,
            );
        }
    }
    for param in &new.client_params {
        if !old.client_params.iter().any(|p| p.rust_name == param.rust_name) {
            out.push(
                ChangeKind::ClientParamAdded,
                "Client",
                format!("builder setter `.{}()` added (header `{}`)", param.rust_name, param.wire_name),
                Class::Compatible,
            );
        }
    }
    for scheme in &old.security {
        if !new.security.contains(scheme) {
            out.push(
                ChangeKind::SecuritySchemeRemoved,
                "Client",
                format!("security scheme {} removed: credentials set for it are no longer sent", scheme_text(scheme)),
                Class::Breaking,
            );
        }
    }
    for scheme in &new.security {
        if !old.security.contains(scheme) {
            out.push(
                ChangeKind::SecuritySchemeAdded,
                "Client",
                format!("security scheme {} added", scheme_text(scheme)),
                Class::Compatible,
            );
        }
    }
    if old.default_base_url != new.default_base_url {
        let text = |url: &Option<String>| url.clone().map(|u| format!("`{u}`")).unwrap_or_else(|| "none".into());
        out.push(
            ChangeKind::BaseUrlChanged,
            "Client",
            format!("default base URL changed from {} to {}", text(&old.default_base_url), text(&new.default_base_url)),
            Class::Compatible,
        );
    }
}

pub(crate) fn scheme_text(scheme: &SecurityScheme) -> String {
    match scheme {
        SecurityScheme::Bearer => "bearer (`bearer_token`)".into(),
        SecurityScheme::Basic => "basic (`basic_auth`)".into(),
        SecurityScheme::ApiKeyHeader(name) => format!("API key in header `{name}`"),
        SecurityScheme::ApiKeyQuery(name) => format!("API key in query `{name}`"),
        SecurityScheme::ApiKeyCookie(name) => format!("API key in cookie `{name}`"),
    }
}

// ------------------------------------------------------------ operations

/// Parameters passed as method arguments, in order.
pub(crate) fn arguments(op: &Operation) -> Vec<&Param> {
    op.params.iter().filter(|p| p.required && !p.client_default).collect()
}

/// `get_pet(id, body)`.
pub(crate) fn call_text(op: &Operation) -> String {
    let mut args: Vec<&str> = arguments(op).iter().map(|p| p.rust_name.as_str()).collect();
    if op.body.as_ref().is_some_and(|b| b.required) {
        args.push("body");
    }
    format!("{}({})", op.method_name, args.join(", "))
}

pub(crate) fn location_text(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// The type `send()` returns, as the surface listing spells it.
pub(crate) fn return_text(op: &Operation) -> String {
    match &op.responses.success_enum {
        Some(name) => name.clone(),
        None => op.responses.success.first().map(|c| kind_text(&c.kind)).unwrap_or_else(|| "()".into()),
    }
}

pub(crate) fn kind_text(kind: &ResponseKind) -> String {
    match kind {
        ResponseKind::Empty => "()".into(),
        ResponseKind::Json(ty) => type_text(ty),
        ResponseKind::Text => "String".into(),
        ResponseKind::Bytes => "Bytes".into(),
    }
}

pub(crate) fn operation_changes(old: &Operation, new: &Operation, out: &mut Changes) {
    let id = new.operation_id.as_str();
    if old.method_name != new.method_name {
        out.push(
            ChangeKind::OperationRenamed,
            id,
            format!("method renamed from `{}` to `{}`", old.method_name, new.method_name),
            Class::Breaking,
        );
    } else if old.builder_name != new.builder_name {
        out.push(
            ChangeKind::OperationRenamed,
            id,
            format!("request builder renamed from `{}` to `{}`", old.builder_name, new.builder_name),
            Class::Breaking,
        );
    }
    if old.tag != new.tag {
        out.push(
            ChangeKind::OperationMoved,
            id,
            format!(
                "moved from module `{}` to `{}`: its request builder is now `{}::{}`",
                old.tag, new.tag, new.tag, new.builder_name
            ),
            Class::Breaking,
        );
    }
    if old.http_method != new.http_method || old.path != new.path {
        out.push(
            ChangeKind::EndpointChanged,
            id,
            format!("endpoint changed from {} {} to {} {}", old.http_method, old.path, new.http_method, new.path),
            Class::Compatible,
        );
    }
    if old.deprecated != new.deprecated {
        out.push(ChangeKind::OperationDeprecationChanged, id, was_now(new.deprecated, "deprecated"), Class::Compatible);
    }
    param_changes(old, new, out);
    body_changes(old, new, out);
    response_changes(old, new, out);
    pagination_changes(old, new, out);
}

// Long: a list of independent checks (removed, client-level, required, retyped, wire form, deprecated, added, argument order), each one push.
pub(crate) fn param_changes(old: &Operation, new: &Operation, out: &mut Changes) {
    let id = new.operation_id.as_str();
    let method = new.method_name.as_str();
    for old_param in &old.params {
        let name = &old_param.rust_name;
        let Some(new_param) = new.params.iter().find(|p| p.rust_name == *name) else {
            let description = if old_param.client_default {
                format!("client-level parameter `{name}` removed from this operation")
            } else if old_param.required {
                format!("required parameter `{name}` removed: `{method}` loses an argument")
            } else {
                format!(
                    "optional parameter `{name}` removed: setter `.{}()` is gone",
                    crate::naming::builder_setter_name(name)
                )
            };
            // A client-level parameter is set on the builder; dropping it from
            // one operation changes no signature.
            let class = if old_param.client_default { Class::Compatible } else { Class::Breaking };
            out.push(ChangeKind::ParameterRemoved, id, description, class);
            continue;
        };
        if old_param.client_default != new_param.client_default {
            let description = if new_param.client_default {
                format!("parameter `{name}` is now set once on the client builder, not per call")
            } else {
                format!("parameter `{name}` is no longer set on the client builder: it is passed per call")
            };
            out.push(ChangeKind::ParameterClientDefaultChanged, id, description, Class::Breaking);
        } else if old_param.required != new_param.required && !new_param.client_default {
            let setter = crate::naming::builder_setter_name(name);
            let description = if new_param.required {
                format!(
                    "parameter `{name}` is now required: a new argument of `{method}` instead of setter `.{setter}()`"
                )
            } else {
                format!("parameter `{name}` is now optional: setter `.{setter}()` instead of an argument of `{method}`")
            };
            out.push(ChangeKind::ParameterRequirednessChanged, id, description, Class::Breaking);
        }
        if old_param.ty != new_param.ty {
            out.push(
                ChangeKind::ParameterRetyped,
                id,
                format!(
                    "parameter `{name}` type changed from `{}` to `{}`",
                    type_text(&old_param.ty),
                    type_text(&new_param.ty)
                ),
                Class::Breaking,
            );
        }
        if old_param.location != new_param.location || old_param.wire_name != new_param.wire_name {
            out.push(
                ChangeKind::ParameterWireChanged,
                id,
                format!(
                    "parameter `{name}` now sent as {} `{}` (was {} `{}`)",
                    location_text(new_param.location),
                    new_param.wire_name,
                    location_text(old_param.location),
                    old_param.wire_name
                ),
                Class::Compatible,
            );
        }
        if old_param.docs.deprecated != new_param.docs.deprecated {
            let now = if new_param.docs.deprecated { "now deprecated" } else { "no longer deprecated" };
            out.push(
                ChangeKind::ParameterDeprecationChanged,
                id,
                format!("parameter `{name}` is {now}"),
                Class::Compatible,
            );
        }
    }
    for new_param in &new.params {
        let name = &new_param.rust_name;
        if old.params.iter().any(|p| p.rust_name == *name) {
            continue;
        }
        let ty = type_text(&new_param.ty);
        let location = location_text(new_param.location);
        let (description, class) = if new_param.client_default {
            (format!("client-level parameter `{name}` ({location}) now sent with this operation"), Class::Compatible)
        } else if new_param.required {
            (
                format!("required parameter `{name}: {ty}` ({location}) added: a new argument of `{method}`"),
                Class::Breaking,
            )
        } else {
            (
                format!(
                    "optional parameter `{name}: {ty}` ({location}) added: setter `.{}()`",
                    crate::naming::builder_setter_name(name)
                ),
                Class::Compatible,
            )
        };
        out.push(ChangeKind::ParameterAdded, id, description, class);
    }
    // Arguments kept on both sides but in another relative order.
    let old_args: Vec<&str> = arguments(old).iter().map(|p| p.rust_name.as_str()).collect();
    let new_args: Vec<&str> = arguments(new).iter().map(|p| p.rust_name.as_str()).collect();
    if let Some(description) = reordered(&old_args, &new_args) {
        out.push(
            ChangeKind::ArgumentsReordered,
            id,
            format!("arguments of `{method}` reordered: {description}"),
            Class::Breaking,
        );
    }
}

/// `(a, b) → (b, a)` when the names both lists share are in another order.
pub(crate) fn reordered(old: &[&str], new: &[&str]) -> Option<String> {
    let old_common: Vec<&str> = old.iter().copied().filter(|name| new.contains(name)).collect();
    let new_common: Vec<&str> = new.iter().copied().filter(|name| old.contains(name)).collect();
    (old_common != new_common).then(|| format!("({}) → ({})", old_common.join(", "), new_common.join(", ")))
}

pub(crate) fn body_changes(old: &Operation, new: &Operation, out: &mut Changes) {
    let id = new.operation_id.as_str();
    let method = new.method_name.as_str();
    match (&old.body, &new.body) {
        (None, None) => {}
        (Some(body), None) => {
            let description = if body.required {
                format!("request body removed: `{method}` loses its `body` argument")
            } else {
                "optional request body removed: setter `.body()` is gone".to_string()
            };
            out.push(ChangeKind::BodyRemoved, id, description, Class::Breaking);
        }
        (None, Some(body)) => {
            let ty = type_text(&body.ty);
            let (description, class) = if body.required {
                (format!("required request body `{ty}` added: a new argument of `{method}`"), Class::Breaking)
            } else {
                (format!("optional request body `{ty}` added: setter `.body()`"), Class::Compatible)
            };
            out.push(ChangeKind::BodyAdded, id, description, class);
        }
        (Some(old_body), Some(new_body)) => {
            if old_body.ty != new_body.ty {
                out.push(
                    ChangeKind::BodyRetyped,
                    id,
                    format!(
                        "request body type changed from `{}` to `{}`",
                        type_text(&old_body.ty),
                        type_text(&new_body.ty)
                    ),
                    Class::Breaking,
                );
            }
            if old_body.required != new_body.required {
                let description = if new_body.required {
                    format!("request body is now required: a new argument of `{method}` instead of setter `.body()`")
                } else {
                    format!("request body is now optional: setter `.body()` instead of an argument of `{method}`")
                };
                out.push(ChangeKind::BodyRequirednessChanged, id, description, Class::Breaking);
            }
            if old_body.media_type != new_body.media_type {
                out.push(
                    ChangeKind::BodyMediaTypeChanged,
                    id,
                    format!("request body now sent as `{}` (was `{}`)", new_body.media_type, old_body.media_type),
                    Class::Compatible,
                );
            }
        }
    }
}

pub(crate) fn response_changes(old: &Operation, new: &Operation, out: &mut Changes) {
    let id = new.operation_id.as_str();
    let (old_return, new_return) = (return_text(old), return_text(new));
    if old_return != new_return {
        out.push(
            ChangeKind::ReturnTypeChanged,
            id,
            format!("`send()` now returns `{new_return}` (was `{old_return}`)"),
            Class::Breaking,
        );
    } else {
        let statuses = |cases: &[ResponseCase]| cases.iter().map(|c| c.status.clone()).collect::<Vec<_>>();
        let (old_statuses, new_statuses) = (statuses(&old.responses.success), statuses(&new.responses.success));
        if old_statuses != new_statuses {
            out.push(
                ChangeKind::SuccessResponsesChanged,
                id,
                format!(
                    "success statuses changed from {} to {} (return type unchanged)",
                    old_statuses.join(", "),
                    new_statuses.join(", ")
                ),
                Class::Compatible,
            );
        }
    }
    for old_case in &old.responses.errors {
        let old_ty = kind_text(&old_case.kind);
        match new.responses.errors.iter().find(|c| c.status == old_case.status) {
            None => out.push(
                ChangeKind::ErrorResponseRemoved,
                id,
                format!(
                    "error case `{}::{}` (status {}) removed: a match on it no longer compiles",
                    old.error_name, old_case.variant, old_case.status
                ),
                Class::Breaking,
            ),
            Some(new_case) if new_case.kind != old_case.kind => out.push(
                ChangeKind::ErrorResponseRetyped,
                id,
                format!(
                    "error case `{}::{}` (status {}) body changed from `{old_ty}` to `{}`",
                    new.error_name,
                    new_case.variant,
                    old_case.status,
                    kind_text(&new_case.kind)
                ),
                Class::Breaking,
            ),
            Some(_) => {}
        }
    }
    for new_case in &new.responses.errors {
        if !old.responses.errors.iter().any(|c| c.status == new_case.status) {
            out.push(
                ChangeKind::ErrorResponseAdded,
                id,
                format!(
                    "error case `{}::{}` (status {}, body `{}`) added (the enum is `#[non_exhaustive]`)",
                    new.error_name,
                    new_case.variant,
                    new_case.status,
                    kind_text(&new_case.kind)
                ),
                Class::Compatible,
            );
        }
    }
}

pub(crate) fn pagination_changes(old: &Operation, new: &Operation, out: &mut Changes) {
    let id = new.operation_id.as_str();
    match (&old.pagination, &new.pagination) {
        (None, None) => {}
        (Some(_), None) => out.push(
            ChangeKind::PaginationRemoved,
            id,
            "no longer paginated: `.pages()` and `.items()` are gone".into(),
            Class::Breaking,
        ),
        (None, Some(pagination)) => out.push(
            ChangeKind::PaginationAdded,
            id,
            format!("now paginated: `.pages()` and `.items()` (items `{}`)", type_text(&pagination.item_type)),
            Class::Compatible,
        ),
        (Some(old_p), Some(new_p)) => {
            if old_p.item_type != new_p.item_type {
                out.push(
                    ChangeKind::PaginationRetyped,
                    id,
                    format!(
                        "`.items()` now yields `{}` (was `{}`)",
                        type_text(&new_p.item_type),
                        type_text(&old_p.item_type)
                    ),
                    Class::Breaking,
                );
            }
        }
    }
}

// ----------------------------------------------------------------- types
