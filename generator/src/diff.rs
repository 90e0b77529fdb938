//! API diffs: what changed between two models, for users of the generated crate.
//!
//! [`diff`] compares two [`Api`]s and lists every change a user of the generated
//! Rust code can see, each classified by what it does to code written against
//! the old client:
//!
//! - [`Class::Breaking`]: code that compiled may no longer compile (a removed
//!   method, type, field, variant or setter; a new method argument or
//!   constructor argument; a changed type), or silently stops working (a typed
//!   error body that `api_body::<T>()` no longer returns);
//! - [`Class::Compatible`]: old code still compiles and behaves as before (a new
//!   operation, type or setter; a new field on a `#[non_exhaustive]` response
//!   model; a new value of a `#[non_exhaustive]` enum; a changed path or media
//!   type, which the client follows by itself).
//!
//! The rules follow the shape of the generated code (`emit::types`,
//! `emit::operations`): required parameters are positional method arguments and
//! optional ones builder setters; response-only structs are `#[non_exhaustive]`;
//! request structs get `new(<non-Option fields>)` plus setters (struct-literal
//! construction is not considered supported API); structs whose fields are all
//! `Option` derive `Default`; string enums are `#[non_exhaustive]` with an
//! `Unknown` fallback; `oneOf` unions are exhaustive enums; per-operation
//! success enums are `#[non_exhaustive]`.
//!
//! [`render`] turns a list into the report `cargo xtask api-diff` prints.

use std::fmt::Write;

use crate::model::{
    Api, Constraints, Field, Operation, Param, ParamLocation, ResponseCase, ResponseKind, SecurityScheme, TypeDef,
    TypeKind, TypeRef, Variant,
};
use crate::surface::type_text;

/// What a change does to code written against the old client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// Old code may stop compiling or silently stop working.
    Breaking,
    /// Old code compiles and behaves as before.
    Compatible,
}

/// The kind of a change. The variant order is the order of changes about the
/// same subject in a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    /// A `Client` builder setter for an `x-client-default` parameter was added.
    ClientParamAdded,
    /// A `Client` builder setter for an `x-client-default` parameter was removed.
    ClientParamRemoved,
    /// A security scheme was added.
    SecuritySchemeAdded,
    /// A security scheme was removed.
    SecuritySchemeRemoved,
    /// `Client::DEFAULT_BASE_URL` changed.
    BaseUrlChanged,
    /// An operation (client method) was added.
    OperationAdded,
    /// An operation (client method) was removed.
    OperationRemoved,
    /// The client method or its request builder type was renamed.
    OperationRenamed,
    /// The operation moved to another tag module (its request builder with it).
    OperationMoved,
    /// The HTTP method or path template changed.
    EndpointChanged,
    /// The operation became deprecated or stopped being deprecated.
    OperationDeprecationChanged,
    /// A parameter was added.
    ParameterAdded,
    /// A parameter was removed.
    ParameterRemoved,
    /// A parameter's type changed.
    ParameterRetyped,
    /// A parameter became required (an argument) or optional (a setter).
    ParameterRequirednessChanged,
    /// A parameter moved to or from the client builder (`x-client-default`).
    ParameterClientDefaultChanged,
    /// A parameter's location or wire name changed.
    ParameterWireChanged,
    /// The method's required arguments are in another order.
    ArgumentsReordered,
    /// A request body was added.
    BodyAdded,
    /// The request body was removed.
    BodyRemoved,
    /// The request body's type changed.
    BodyRetyped,
    /// The request body became required (an argument) or optional (a setter).
    BodyRequirednessChanged,
    /// The request body's media type changed.
    BodyMediaTypeChanged,
    /// The type `send()` returns changed.
    ReturnTypeChanged,
    /// A documented success status was added or removed, the return type unchanged.
    SuccessResponsesChanged,
    /// A typed error body was documented for a new status.
    ErrorResponseAdded,
    /// A typed error body is no longer documented.
    ErrorResponseRemoved,
    /// A typed error body's type changed.
    ErrorResponseRetyped,
    /// Pagination streams were added.
    PaginationAdded,
    /// Pagination streams were removed.
    PaginationRemoved,
    /// The pagination item type changed.
    PaginationRetyped,
    /// A named type was added.
    TypeAdded,
    /// A named type was removed.
    TypeRemoved,
    /// A named type changed shape (struct, enum, union, alias).
    TypeKindChanged,
    /// A struct gained or lost its constructor or `#[non_exhaustive]`.
    TypeUsageChanged,
    /// A struct gained or lost `Default`.
    TypeDefaultChanged,
    /// A type became deprecated or stopped being deprecated.
    TypeDeprecationChanged,
    /// A struct field was added.
    FieldAdded,
    /// A struct field was removed.
    FieldRemoved,
    /// A struct field's type changed.
    FieldRetyped,
    /// A struct field became required or optional.
    FieldRequirednessChanged,
    /// A struct field's JSON name changed.
    FieldWireNameChanged,
    /// A struct field became read-only or writable.
    FieldReadOnlyChanged,
    /// A struct field's validation rules changed.
    FieldConstraintsChanged,
    /// A struct field became deprecated or stopped being deprecated.
    FieldDeprecationChanged,
    /// The arguments of a request struct's `new()` are in another order.
    ConstructorReordered,
    /// A struct's `additional_properties` map was added, removed or retyped.
    AdditionalPropertiesChanged,
    /// A string enum value was added.
    EnumValueAdded,
    /// A string enum value was removed.
    EnumValueRemoved,
    /// The Rust variant of a string enum value was renamed.
    EnumValueRenamed,
    /// A union (or success enum) variant was added.
    VariantAdded,
    /// A union (or success enum) variant was removed.
    VariantRemoved,
    /// A union (or success enum) variant's payload type changed.
    VariantRetyped,
    /// A variant's discriminator values or success statuses, or the
    /// discriminator property, changed.
    VariantTagsChanged,
    /// A type alias points at another type.
    AliasRetyped,
}

/// One change between two models.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What kind of change.
    pub kind: ChangeKind,
    /// What changed: `Client`, an operationId, a type name, or `Type.field`.
    pub subject: String,
    /// One human-readable sentence (no trailing period).
    pub description: String,
    /// Breaking or compatible for users of the generated crate.
    pub class: Class,
}

impl Change {
    /// Whether the change is breaking.
    pub fn is_breaking(&self) -> bool {
        self.class == Class::Breaking
    }

    /// The report line (without indentation): `subject: description`.
    pub fn line(&self) -> String {
        format!("{}: {}", self.subject, self.description)
    }
}

/// Every change from `old` to `new`, in a deterministic order: client-level
/// changes, then operations by operationId, then types by name (a field right
/// after its type); changes about one subject in [`ChangeKind`] order.
pub fn diff(old: &Api, new: &Api) -> Vec<Change> {
    let mut out = Changes::default();
    client_changes(old, new, &mut out);
    for old_op in &old.operations {
        match new.operations.iter().find(|op| op.operation_id == old_op.operation_id) {
            Some(new_op) => operation_changes(old_op, new_op, &mut out),
            None => out.push(
                ChangeKind::OperationRemoved,
                &old_op.operation_id,
                format!("operation removed: `{}` ({} {})", call_text(old_op), old_op.http_method, old_op.path),
                Class::Breaking,
            ),
        }
    }
    for new_op in &new.operations {
        if !old.operations.iter().any(|op| op.operation_id == new_op.operation_id) {
            out.push(
                ChangeKind::OperationAdded,
                &new_op.operation_id,
                format!("operation added: `{}` ({} {})", call_text(new_op), new_op.http_method, new_op.path),
                Class::Compatible,
            );
        }
    }
    for (name, old_def) in &old.types {
        match new.types.get(name) {
            Some(new_def) => type_changes(old_def, new_def, &mut out),
            None => out.push(
                ChangeKind::TypeRemoved,
                name,
                format!("{} removed", kind_name(&old_def.kind)),
                Class::Breaking,
            ),
        }
    }
    for (name, new_def) in &new.types {
        if !old.types.contains_key(name) {
            out.push(ChangeKind::TypeAdded, name, format!("{} added", kind_name(&new_def.kind)), Class::Compatible);
        }
    }
    let mut changes = out.0;
    // Stable sort: changes of one subject and kind keep the order they were found in.
    changes.sort_by(|a, b| {
        (area(a.kind), subject_key(&a.subject), a.kind).cmp(&(area(b.kind), subject_key(&b.subject), b.kind))
    });
    changes
}

/// Whether any change is breaking.
pub fn has_breaking(changes: &[Change]) -> bool {
    changes.iter().any(Change::is_breaking)
}

/// The report for one API:
///
/// ```text
/// petstore: 1 breaking, 1 compatible change(s)
/// Breaking changes (1)
///   - Pet.name: field removed (`name: String`)
/// Compatible changes (1)
///   - listPets: optional parameter `limit: i32` (query) added: setter `.limit()`
/// ```
///
/// or `petstore: no API changes`.
pub fn render(label: &str, changes: &[Change]) -> String {
    if changes.is_empty() {
        return format!("{label}: no API changes\n");
    }
    let breaking: Vec<&Change> = changes.iter().filter(|c| c.is_breaking()).collect();
    let compatible: Vec<&Change> = changes.iter().filter(|c| !c.is_breaking()).collect();
    let mut out = format!("{label}: {} breaking, {} compatible change(s)\n", breaking.len(), compatible.len());
    for (title, group) in [("Breaking", &breaking), ("Compatible", &compatible)] {
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{title} changes ({})", group.len());
        for change in group.iter() {
            let _ = writeln!(out, "  - {}", change.line());
        }
    }
    out
}

/// Collects changes.
#[derive(Default)]
struct Changes(Vec<Change>);

impl Changes {
    fn push(&mut self, kind: ChangeKind, subject: &str, description: String, class: Class) {
        self.0.push(Change { kind, subject: subject.to_string(), description, class });
    }
}

/// 0: client, 1: operations, 2: types.
fn area(kind: ChangeKind) -> u8 {
    use ChangeKind::*;
    match kind {
        ClientParamAdded | ClientParamRemoved | SecuritySchemeAdded | SecuritySchemeRemoved | BaseUrlChanged => 0,
        OperationAdded | OperationRemoved | OperationRenamed | OperationMoved | EndpointChanged
        | OperationDeprecationChanged | ParameterAdded | ParameterRemoved | ParameterRetyped
        | ParameterRequirednessChanged | ParameterClientDefaultChanged | ParameterWireChanged | ArgumentsReordered
        | BodyAdded | BodyRemoved | BodyRetyped | BodyRequirednessChanged | BodyMediaTypeChanged
        | ReturnTypeChanged | SuccessResponsesChanged | ErrorResponseAdded | ErrorResponseRemoved
        | ErrorResponseRetyped | PaginationAdded | PaginationRemoved | PaginationRetyped => 1,
        _ => 2,
    }
}

/// `Pet` sorts before `Pet.name`, which sorts before `PetList`.
fn subject_key(subject: &str) -> (&str, &str) {
    subject.split_once('.').unwrap_or((subject, ""))
}

fn was_now(flag: bool, what: &str) -> String {
    if flag {
        format!("now {what}")
    } else {
        format!("no longer {what}")
    }
}

// ---------------------------------------------------------------- client

fn client_changes(old: &Api, new: &Api, out: &mut Changes) {
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
            format!(
                "default base URL changed from {} to {}",
                text(&old.default_base_url),
                text(&new.default_base_url)
            ),
            Class::Compatible,
        );
    }
}

fn scheme_text(scheme: &SecurityScheme) -> String {
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
fn arguments(op: &Operation) -> Vec<&Param> {
    op.params.iter().filter(|p| p.required && !p.client_default).collect()
}

/// `get_pet(id, body)`.
fn call_text(op: &Operation) -> String {
    let mut args: Vec<&str> = arguments(op).iter().map(|p| p.rust_name.as_str()).collect();
    if op.body.as_ref().is_some_and(|b| b.required) {
        args.push("body");
    }
    format!("{}({})", op.method_name, args.join(", "))
}

fn location_text(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// The type `send()` returns, as the surface listing spells it.
fn return_text(op: &Operation) -> String {
    match &op.responses.success_enum {
        Some(name) => name.clone(),
        None => op.responses.success.first().map(|c| kind_text(&c.kind)).unwrap_or_else(|| "()".into()),
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

fn operation_changes(old: &Operation, new: &Operation, out: &mut Changes) {
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
        out.push(
            ChangeKind::OperationDeprecationChanged,
            id,
            was_now(new.deprecated, "deprecated"),
            Class::Compatible,
        );
    }
    param_changes(old, new, out);
    body_changes(old, new, out);
    response_changes(old, new, out);
    pagination_changes(old, new, out);
}

fn param_changes(old: &Operation, new: &Operation, out: &mut Changes) {
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
                format!("optional parameter `{name}` removed: setter `.{}()` is gone", crate::naming::setter_name(name))
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
            let setter = crate::naming::setter_name(name);
            let description = if new_param.required {
                format!("parameter `{name}` is now required: a new argument of `{method}` instead of setter `.{setter}()`")
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
                    crate::naming::setter_name(name)
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
        out.push(ChangeKind::ArgumentsReordered, id, format!("arguments of `{method}` reordered: {description}"), Class::Breaking);
    }
}

/// `(a, b) → (b, a)` when the names both lists share are in another order.
fn reordered(old: &[&str], new: &[&str]) -> Option<String> {
    let old_common: Vec<&str> = old.iter().copied().filter(|name| new.contains(name)).collect();
    let new_common: Vec<&str> = new.iter().copied().filter(|name| old.contains(name)).collect();
    (old_common != new_common).then(|| format!("({}) → ({})", old_common.join(", "), new_common.join(", ")))
}

fn body_changes(old: &Operation, new: &Operation, out: &mut Changes) {
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

fn response_changes(old: &Operation, new: &Operation, out: &mut Changes) {
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
                    "typed error body for status {} removed: `err.api_body::<{old_ty}>()` now returns `None`",
                    old_case.status
                ),
                Class::Breaking,
            ),
            Some(new_case) if new_case.kind != old_case.kind => out.push(
                ChangeKind::ErrorResponseRetyped,
                id,
                format!(
                    "typed error body for status {} changed from `{old_ty}` to `{}`: `err.api_body::<{old_ty}>()` now returns `None`",
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
                    "typed error body `{}` added for status {}: `err.api_body::<{}>()`",
                    kind_text(&new_case.kind),
                    new_case.status,
                    kind_text(&new_case.kind)
                ),
                Class::Compatible,
            );
        }
    }
}

fn pagination_changes(old: &Operation, new: &Operation, out: &mut Changes) {
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

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct { .. } => "struct",
        TypeKind::Enum { .. } => "enum",
        TypeKind::Union { .. } => "union",
        TypeKind::Alias(_) => "alias",
        TypeKind::Responses { .. } => "success enum",
    }
}

/// Response-only structs are `#[non_exhaustive]`.
fn is_non_exhaustive(def: &TypeDef) -> bool {
    def.in_response && !def.in_request
}

fn is_option(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Option(_))
}

/// The type without its outer `Option`.
fn strip_option(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::Option(inner) => inner,
        other => other,
    }
}

fn type_changes(old: &TypeDef, new: &TypeDef, out: &mut Changes) {
    let name = new.name.as_str();
    if old.docs.deprecated != new.docs.deprecated {
        out.push(ChangeKind::TypeDeprecationChanged, name, was_now(new.docs.deprecated, "deprecated"), Class::Compatible);
    }
    match (&old.kind, &new.kind) {
        (
            TypeKind::Struct { fields: old_fields, additional: old_additional },
            TypeKind::Struct { fields: new_fields, additional: new_additional },
        ) => {
            struct_usage_changes(old, new, out);
            for old_field in old_fields {
                match new_fields.iter().find(|f| f.rust_name == old_field.rust_name) {
                    Some(new_field) => field_changes(new, old_field, new_field, out),
                    None => out.push(
                        ChangeKind::FieldRemoved,
                        &format!("{name}.{}", old_field.rust_name),
                        format!("field removed (`{}: {}`)", old_field.rust_name, type_text(&old_field.ty)),
                        Class::Breaking,
                    ),
                }
            }
            for new_field in new_fields {
                if !old_fields.iter().any(|f| f.rust_name == new_field.rust_name) {
                    field_added(new, new_field, out);
                }
            }
            if old.in_request && new.in_request {
                if let Some(description) = reordered(&constructor_args(old_fields), &constructor_args(new_fields)) {
                    out.push(
                        ChangeKind::ConstructorReordered,
                        name,
                        format!("arguments of `{name}::new` reordered: {description}"),
                        Class::Breaking,
                    );
                }
            }
            let all_optional = |fields: &[Field]| fields.iter().all(|f| is_option(&f.ty));
            let (old_default, new_default) = (all_optional(old_fields), all_optional(new_fields));
            if old_default != new_default {
                let (description, class) = if new_default {
                    ("now implements `Default` (every field is optional)".to_string(), Class::Compatible)
                } else {
                    (
                        format!("no longer implements `Default`: `{name}::default()` stops compiling"),
                        Class::Breaking,
                    )
                };
                out.push(ChangeKind::TypeDefaultChanged, name, description, class);
            }
            match (old_additional, new_additional) {
                (None, None) => {}
                (Some(ty), None) => out.push(
                    ChangeKind::AdditionalPropertiesChanged,
                    name,
                    format!("`additional_properties: Map<{}>` removed", type_text(ty)),
                    Class::Breaking,
                ),
                (None, Some(ty)) => out.push(
                    ChangeKind::AdditionalPropertiesChanged,
                    name,
                    format!("`additional_properties: Map<{}>` added", type_text(ty)),
                    if is_non_exhaustive(new) || new.in_request { Class::Compatible } else { Class::Breaking },
                ),
                (Some(old_ty), Some(new_ty)) if old_ty != new_ty => out.push(
                    ChangeKind::AdditionalPropertiesChanged,
                    name,
                    format!(
                        "`additional_properties` changed from `Map<{}>` to `Map<{}>`",
                        type_text(old_ty),
                        type_text(new_ty)
                    ),
                    Class::Breaking,
                ),
                _ => {}
            }
        }
        (TypeKind::Enum { values: old_values }, TypeKind::Enum { values: new_values }) => {
            for old_value in old_values {
                match new_values.iter().find(|v| v.wire == old_value.wire) {
                    None => out.push(
                        ChangeKind::EnumValueRemoved,
                        name,
                        format!("value {:?} removed: variant `{name}::{}` is gone", old_value.wire, old_value.rust_name),
                        Class::Breaking,
                    ),
                    Some(new_value) if new_value.rust_name != old_value.rust_name => out.push(
                        ChangeKind::EnumValueRenamed,
                        name,
                        format!(
                            "variant for {:?} renamed from `{}` to `{}`",
                            old_value.wire, old_value.rust_name, new_value.rust_name
                        ),
                        Class::Breaking,
                    ),
                    Some(_) => {}
                }
            }
            for new_value in new_values {
                if !old_values.iter().any(|v| v.wire == new_value.wire) {
                    out.push(
                        ChangeKind::EnumValueAdded,
                        name,
                        format!(
                            "value {:?} added: variant `{name}::{}` (the enum is non-exhaustive)",
                            new_value.wire, new_value.rust_name
                        ),
                        Class::Compatible,
                    );
                }
            }
        }
        (
            TypeKind::Union { variants: old_variants, discriminator: old_discriminator },
            TypeKind::Union { variants: new_variants, discriminator: new_discriminator },
        ) => {
            if old_discriminator != new_discriminator {
                let text = |d: &Option<String>| d.clone().map(|d| format!("`{d}`")).unwrap_or_else(|| "none".into());
                out.push(
                    ChangeKind::VariantTagsChanged,
                    name,
                    format!("discriminator changed from {} to {}", text(old_discriminator), text(new_discriminator)),
                    Class::Compatible,
                );
            }
            variant_changes(name, old_variants, new_variants, false, out);
        }
        (TypeKind::Responses { variants: old_variants }, TypeKind::Responses { variants: new_variants }) => {
            variant_changes(name, old_variants, new_variants, true, out);
        }
        (TypeKind::Alias(old_target), TypeKind::Alias(new_target)) => {
            if old_target != new_target {
                out.push(
                    ChangeKind::AliasRetyped,
                    name,
                    format!("now `= {}` (was `= {}`)", type_text(new_target), type_text(old_target)),
                    Class::Breaking,
                );
            }
        }
        (old_kind, new_kind) => out.push(
            ChangeKind::TypeKindChanged,
            name,
            format!("changed from {} to {}", kind_name(old_kind), kind_name(new_kind)),
            Class::Breaking,
        ),
    }
}

/// The arguments of a request struct's `new()`: its non-`Option` fields, in order.
fn constructor_args(fields: &[Field]) -> Vec<&str> {
    fields.iter().filter(|f| !is_option(&f.ty)).map(|f| f.rust_name.as_str()).collect()
}

/// A struct's constructor comes with `in_request`; `#[non_exhaustive]` with
/// "response only".
fn struct_usage_changes(old: &TypeDef, new: &TypeDef, out: &mut Changes) {
    let name = new.name.as_str();
    if old.in_request && !new.in_request {
        out.push(
            ChangeKind::TypeUsageChanged,
            name,
            format!("no longer sent in requests: `{name}::new` and its setters are gone"),
            Class::Breaking,
        );
    } else if !old.in_request && new.in_request {
        out.push(
            ChangeKind::TypeUsageChanged,
            name,
            format!("now sent in requests: gains `{name}::new` and setters"),
            Class::Compatible,
        );
    }
    let (old_ne, new_ne) = (is_non_exhaustive(old), is_non_exhaustive(new));
    if !old_ne && new_ne && !old.in_request {
        // With a constructor lost, the line above already says it breaks.
        out.push(
            ChangeKind::TypeUsageChanged,
            name,
            "now `#[non_exhaustive]`: struct literals stop compiling".into(),
            Class::Breaking,
        );
    } else if old_ne && !new_ne {
        out.push(ChangeKind::TypeUsageChanged, name, "no longer `#[non_exhaustive]`".into(), Class::Compatible);
    }
}

fn field_added(def: &TypeDef, field: &Field, out: &mut Changes) {
    let subject = format!("{}.{}", def.name, field.rust_name);
    let optional = is_option(&field.ty);
    let which = if optional { "optional" } else { "required" };
    let (description, class) = if def.in_request && !optional {
        (
            format!(
                "required field `{}: {}` added: `{}::new` gains an argument",
                field.rust_name,
                type_text(&field.ty),
                def.name
            ),
            Class::Breaking,
        )
    } else if def.in_request {
        (
            format!(
                "optional field `{}: {}` added: setter `.{}()`",
                field.rust_name,
                type_text(&field.ty),
                crate::naming::setter_name(&field.rust_name)
            ),
            Class::Compatible,
        )
    } else {
        (
            format!("{which} field `{}: {}` added (response model)", field.rust_name, type_text(&field.ty)),
            Class::Compatible,
        )
    };
    out.push(ChangeKind::FieldAdded, &subject, description, class);
}

fn field_changes(def: &TypeDef, old: &Field, new: &Field, out: &mut Changes) {
    let subject = format!("{}.{}", def.name, new.rust_name);
    let (old_inner, new_inner) = (strip_option(&old.ty), strip_option(&new.ty));
    if old_inner != new_inner {
        out.push(
            ChangeKind::FieldRetyped,
            &subject,
            format!("type changed from `{}` to `{}`", type_text(&old.ty), type_text(&new.ty)),
            Class::Breaking,
        );
    }
    if is_option(&old.ty) != is_option(&new.ty) {
        let constructor = if def.in_request {
            if is_option(&new.ty) {
                format!("; no longer an argument of `{}::new`", def.name)
            } else {
                format!("; a new argument of `{}::new`", def.name)
            }
        } else {
            String::new()
        };
        let description = if is_option(&new.ty) {
            format!("now optional: `{}` (was `{}`){constructor}", type_text(&new.ty), type_text(&old.ty))
        } else {
            format!("now required: `{}` (was `{}`){constructor}", type_text(&new.ty), type_text(&old.ty))
        };
        out.push(ChangeKind::FieldRequirednessChanged, &subject, description, Class::Breaking);
    } else if old.required != new.required {
        // Nullable: the Rust type stays `Option`; only whether `null` is sent changes.
        out.push(
            ChangeKind::FieldRequirednessChanged,
            &subject,
            format!("{} (still `{}`, nullable)", was_now(new.required, "required"), type_text(&new.ty)),
            Class::Compatible,
        );
    }
    if old.wire_name != new.wire_name {
        out.push(
            ChangeKind::FieldWireNameChanged,
            &subject,
            format!("JSON name changed from {:?} to {:?}", old.wire_name, new.wire_name),
            Class::Compatible,
        );
    }
    if old.read_only != new.read_only {
        // Only optional fields of request structs have setters, and read-only ones none.
        let has_setter = def.in_request && is_option(&new.ty);
        let (description, class) = match (new.read_only, has_setter) {
            (true, true) => (
                format!("now read-only: setter `.{}()` is gone", crate::naming::setter_name(&new.rust_name)),
                Class::Breaking,
            ),
            (false, true) => (
                format!("no longer read-only: setter `.{}()` added", crate::naming::setter_name(&new.rust_name)),
                Class::Compatible,
            ),
            (read_only, false) => (was_now(read_only, "read-only"), Class::Compatible),
        };
        out.push(ChangeKind::FieldReadOnlyChanged, &subject, description, class);
    }
    // Allowed values of a named enum are reported on the enum itself.
    let allowed_changed = old.allowed != new.allowed && !matches!(new_inner, TypeRef::Named(_));
    if old.constraints != new.constraints || allowed_changed {
        out.push(
            ChangeKind::FieldConstraintsChanged,
            &subject,
            format!(
                "validation changed from {} to {}",
                constraints_text(&old.constraints, &old.allowed),
                constraints_text(&new.constraints, &new.allowed)
            ),
            Class::Compatible,
        );
    }
    if old.docs.deprecated != new.docs.deprecated {
        out.push(
            ChangeKind::FieldDeprecationChanged,
            &subject,
            was_now(new.docs.deprecated, "deprecated"),
            Class::Compatible,
        );
    }
}

/// `{minLength 1, maxLength 10}`, `{one of a, b}` or `{none}`.
fn constraints_text(constraints: &Constraints, allowed: &[String]) -> String {
    let bound = |name: &str, value: Option<(f64, bool)>| {
        value.map(|(v, exclusive)| format!("{name}{} {v}", if exclusive { " (exclusive)" } else { "" }))
    };
    let parts: Vec<String> = [
        constraints.min_length.map(|v| format!("minLength {v}")),
        constraints.max_length.map(|v| format!("maxLength {v}")),
        bound("minimum", constraints.minimum),
        bound("maximum", constraints.maximum),
        constraints.min_items.map(|v| format!("minItems {v}")),
        constraints.max_items.map(|v| format!("maxItems {v}")),
        (!allowed.is_empty()).then(|| format!("one of {}", allowed.join(", "))),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() {
        "{none}".into()
    } else {
        format!("{{{}}}", parts.join(", "))
    }
}

/// `Cat(Cat)`, or `NoContent` for a success enum's body-less status.
fn variant_text(variant: &Variant, success_enum: bool) -> String {
    if success_enum && variant.ty == TypeRef::Option(Box::new(TypeRef::Json)) {
        variant.rust_name.clone()
    } else {
        format!("{}({})", variant.rust_name, type_text(&variant.ty))
    }
}

/// Variants of a union (exhaustive: a new variant breaks `match`) or of a
/// success enum (`#[non_exhaustive]`), matched by Rust name.
fn variant_changes(name: &str, old: &[Variant], new: &[Variant], success_enum: bool, out: &mut Changes) {
    let (added_class, tags_label) =
        if success_enum { (Class::Compatible, "statuses") } else { (Class::Breaking, "discriminator values") };
    for old_variant in old {
        let Some(new_variant) = new.iter().find(|v| v.rust_name == old_variant.rust_name) else {
            out.push(
                ChangeKind::VariantRemoved,
                name,
                format!("variant `{}` removed", variant_text(old_variant, success_enum)),
                Class::Breaking,
            );
            continue;
        };
        if old_variant.ty != new_variant.ty {
            out.push(
                ChangeKind::VariantRetyped,
                name,
                format!(
                    "variant `{}` payload changed from `{}` to `{}`",
                    new_variant.rust_name,
                    type_text(&old_variant.ty),
                    type_text(&new_variant.ty)
                ),
                Class::Breaking,
            );
        }
        if old_variant.tags != new_variant.tags {
            out.push(
                ChangeKind::VariantTagsChanged,
                name,
                format!(
                    "variant `{}` {tags_label} changed from [{}] to [{}]",
                    new_variant.rust_name,
                    old_variant.tags.join(", "),
                    new_variant.tags.join(", ")
                ),
                Class::Compatible,
            );
        }
    }
    for new_variant in new {
        if !old.iter().any(|v| v.rust_name == new_variant.rust_name) {
            let note = match added_class {
                Class::Breaking => " (the enum is exhaustive: `match` needs a new arm)",
                Class::Compatible => "",
            };
            out.push(
                ChangeKind::VariantAdded,
                name,
                format!("variant `{}` added{note}", variant_text(new_variant, success_enum)),
                added_class,
            );
        }
    }
}
