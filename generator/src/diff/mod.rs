//! API diffs: what changed between two models, for users of the generated crate.
//!
//! [`diff`] compares two [`Api`]s and lists every change a user of the generated
//! Rust code can see, each classified by what it does to code written against
//! the old client:
//!
//! - [`Class::Breaking`]: code that compiled may no longer compile (a removed
//!   method, type, field, variant or setter; a new method argument or
//!   constructor argument; a changed type; a removed or retyped variant of an
//!   operation's error enum);
//! - [`Class::Compatible`]: old code still compiles and behaves as before (a new
//!   operation, type or setter; a new field on a `#[non_exhaustive]` response
//!   model; a new case of an operation's `#[non_exhaustive]` error enum; a new value of a `#[non_exhaustive]` enum; a changed path or media
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
    Api, Constraints, Field, Operation, Param, ParamLocation, ResponseCase, ResponseKind, SecurityScheme,
    SuccessVariant, TypeDef, TypeKind, TypeRef, Variant,
};
use crate::surface::type_text;

mod operations;
pub mod report;
mod types;

use operations::{call_text, client_changes, operation_changes};
use types::{kind_name, type_changes};

/// What a change does to code written against the old client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Old code may stop compiling or silently stop working.
    Breaking,
    /// Old code compiles and behaves as before.
    Compatible,
}

/// The kind of a change. The variant order is the order of changes about the
/// same subject in a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
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
    /// The client method or its request builder type was renamed, or an
    /// operation removed and one added with the same HTTP method and path (a
    /// new operationId) were linked as one renamed operation.
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
    /// A parameter became deprecated or stopped being deprecated.
    ParameterDeprecationChanged,
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
    /// An error status was documented: a new variant of the operation's error enum.
    ErrorResponseAdded,
    /// An error status is no longer documented: its variant is gone.
    ErrorResponseRemoved,
    /// The body type of an error variant changed.
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
    /// A struct crossed the builder threshold: `new(…)` became `builder()` or back.
    ConstructorStyleChanged,
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
    /// An optional struct field became nullable or stopped being nullable
    /// (its Rust type stays `Option`; whether the server may send `null` changed).
    FieldNullabilityChanged,
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
    /// Whether the change keeps the Rust API as it is but changes what the
    /// client does: a compatible change of a wire name, endpoint, media type,
    /// validation rule, nullability, documented success status or deprecation.
    pub fn is_note(&self) -> bool {
        use ChangeKind::*;
        self.class == Class::Compatible
            && matches!(
                self.kind,
                BaseUrlChanged
                    | OperationRenamed
                    | EndpointChanged
                    | OperationDeprecationChanged
                    | ParameterWireChanged
                    | ParameterDeprecationChanged
                    | ParameterRemoved
                    | BodyMediaTypeChanged
                    | SuccessResponsesChanged
                    | TypeDeprecationChanged
                    | FieldRequirednessChanged
                    | FieldNullabilityChanged
                    | FieldWireNameChanged
                    | FieldReadOnlyChanged
                    | FieldConstraintsChanged
                    | FieldDeprecationChanged
            )
    }

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
    let renamed = renamed_operations(old, new);
    for old_op in &old.operations {
        let same_id = new.operations.iter().find(|op| op.operation_id == old_op.operation_id);
        let linked = renamed.iter().find(|(o, _)| o.operation_id == old_op.operation_id).map(|(_, n)| *n);
        match (same_id, linked) {
            (Some(new_op), _) => operation_changes(old_op, new_op, &mut out),
            (None, Some(new_op)) => {
                out.push(
                    ChangeKind::OperationRenamed,
                    &new_op.operation_id,
                    format!(
                        "operationId changed from `{}` to `{}` ({} {} kept)",
                        old_op.operation_id, new_op.operation_id, new_op.http_method, new_op.path
                    ),
                    Class::Compatible,
                );
                operation_changes(old_op, new_op, &mut out);
            }
            (None, None) => out.push(
                ChangeKind::OperationRemoved,
                &old_op.operation_id,
                format!("operation removed: `{}` ({} {})", call_text(old_op), old_op.http_method, old_op.path),
                Class::Breaking,
            ),
        }
    }
    for new_op in &new.operations {
        let linked = renamed.iter().any(|(_, n)| n.operation_id == new_op.operation_id);
        if !linked && !old.operations.iter().any(|op| op.operation_id == new_op.operation_id) {
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

/// Pairs of an operation only the old model has and one only the new model
/// has, with the same HTTP method and path: one operation whose operationId
/// changed. An endpoint shared by several such operations is not linked.
pub(crate) fn renamed_operations<'a>(old: &'a Api, new: &'a Api) -> Vec<(&'a Operation, &'a Operation)> {
    let gone: Vec<&Operation> =
        old.operations.iter().filter(|o| !new.operations.iter().any(|n| n.operation_id == o.operation_id)).collect();
    let fresh: Vec<&Operation> =
        new.operations.iter().filter(|n| !old.operations.iter().any(|o| o.operation_id == n.operation_id)).collect();
    let same_endpoint = |a: &Operation, b: &Operation| a.http_method == b.http_method && a.path == b.path;
    gone.iter()
        .filter_map(|o| {
            let mut matches = fresh.iter().filter(|n| same_endpoint(o, n));
            let n = matches.next()?;
            let unique = matches.next().is_none() && gone.iter().filter(|g| same_endpoint(g, n)).count() == 1;
            unique.then_some((*o, *n))
        })
        .collect()
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
pub(crate) struct Changes(Vec<Change>);

impl Changes {
    pub(crate) fn push(&mut self, kind: ChangeKind, subject: &str, description: String, class: Class) {
        self.0.push(Change { kind, subject: subject.to_string(), description, class });
    }
}

/// 0: client, 1: operations, 2: types.
pub(crate) fn area(kind: ChangeKind) -> u8 {
    use ChangeKind::*;
    match kind {
        ClientParamAdded | ClientParamRemoved | SecuritySchemeAdded | SecuritySchemeRemoved | BaseUrlChanged => 0,
        OperationAdded
        | OperationRemoved
        | OperationRenamed
        | OperationMoved
        | EndpointChanged
        | OperationDeprecationChanged
        | ParameterAdded
        | ParameterRemoved
        | ParameterRetyped
        | ParameterRequirednessChanged
        | ParameterClientDefaultChanged
        | ParameterWireChanged
        | ParameterDeprecationChanged
        | ArgumentsReordered
        | BodyAdded
        | BodyRemoved
        | BodyRetyped
        | BodyRequirednessChanged
        | BodyMediaTypeChanged
        | ReturnTypeChanged
        | SuccessResponsesChanged
        | ErrorResponseAdded
        | ErrorResponseRemoved
        | ErrorResponseRetyped
        | PaginationAdded
        | PaginationRemoved
        | PaginationRetyped => 1,
        _ => 2,
    }
}

/// `Pet` sorts before `Pet.name`, which sorts before `PetList`.
pub(crate) fn subject_key(subject: &str) -> (&str, &str) {
    subject.split_once('.').unwrap_or((subject, ""))
}

pub(crate) fn was_now(flag: bool, what: &str) -> String {
    if flag {
        format!("now {what}")
    } else {
        format!("no longer {what}")
    }
}

// ---------------------------------------------------------------- client
