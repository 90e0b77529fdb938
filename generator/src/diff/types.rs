//! Changes to named types: kinds, fields, enum values, union variants.

use super::operations::reordered;
use super::*;
use crate::model::{is_required_field, uses_builder, EnumValue};

fn views<'a, V>(variants: &'a [V]) -> Vec<VariantView<'a>>
where
    VariantView<'a>: From<&'a V>,
{
    variants.iter().map(VariantView::from).collect()
}

pub(crate) fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct { .. } => "struct",
        TypeKind::Enum { .. } => "enum",
        TypeKind::Union { .. } => "union",
        TypeKind::Alias(_) => "alias",
        TypeKind::Responses { .. } => "success enum",
    }
}

pub(crate) fn is_option(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Option(_))
}

pub(crate) fn type_changes(old: &TypeDef, new: &TypeDef, out: &mut Changes) {
    let name = new.name.as_str();
    if old.docs.deprecated != new.docs.deprecated {
        out.push(
            ChangeKind::TypeDeprecationChanged,
            name,
            was_now(new.docs.deprecated, "deprecated"),
            Class::Compatible,
        );
    }
    match (&old.kind, &new.kind) {
        (
            TypeKind::Struct { fields: old_fields, additional: old_additional },
            TypeKind::Struct { fields: new_fields, additional: new_additional },
        ) => {
            struct_changes(new, (old_fields, new_fields), out);
            additional_changes(name, old_additional.as_ref(), new_additional.as_ref(), out);
        }
        (TypeKind::Enum { values: old_values }, TypeKind::Enum { values: new_values }) => {
            enum_value_changes(name, old_values, new_values, out);
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
            variant_changes(name, &views(old_variants), &views(new_variants), false, out);
        }
        (TypeKind::Responses { variants: old_variants }, TypeKind::Responses { variants: new_variants }) => {
            variant_changes(name, &views(old_variants), &views(new_variants), true, out);
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

/// Fields removed, added and changed, and what follows for the constructor
/// and `Default`.
fn struct_changes(new: &TypeDef, (old_fields, new_fields): (&[Field], &[Field]), out: &mut Changes) {
    let name = new.name.as_str();
    constructor_style_changes(name, old_fields, new_fields, out);
    for old_field in old_fields {
        match new_fields.iter().find(|f| f.rust_name == old_field.rust_name) {
            Some(new_field) => field_changes(new, (old_fields, new_fields), old_field, new_field, out),
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
            field_added(new, new_fields, new_field, out);
        }
    }
    if !uses_builder(old_fields) && !uses_builder(new_fields) {
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
            (format!("no longer implements `Default`: `{name}::default()` stops compiling"), Class::Breaking)
        };
        out.push(ChangeKind::TypeDefaultChanged, name, description, class);
    }
}

/// The typed map of `additionalProperties` added, removed or retyped.
fn additional_changes(name: &str, old: Option<&TypeRef>, new: Option<&TypeRef>, out: &mut Changes) {
    match (old, new) {
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
            // Every struct is `#[non_exhaustive]`: no struct literal to break.
            Class::Compatible,
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

/// Values of an open string enum, matched by wire value.
fn enum_value_changes(name: &str, old_values: &[EnumValue], new_values: &[EnumValue], out: &mut Changes) {
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

/// The arguments of a struct's `new()`: its non-`Option` fields, in order.
pub(crate) fn constructor_args(fields: &[Field]) -> Vec<&str> {
    fields.iter().filter(|f| is_required_field(f)).map(|f| f.rust_name.as_str()).collect()
}

/// How a struct with these fields is constructed, for descriptions.
fn constructor_text(name: &str, fields: &[Field]) -> String {
    if uses_builder(fields) {
        format!("`{name}::builder()`")
    } else {
        format!("`{name}::new`")
    }
}

/// Every struct is `#[non_exhaustive]` and constructed the same way whether
/// requests send it or responses return it: `new(required…)` up to
/// [`MAX_CONSTRUCTOR_ARGS`](crate::model::MAX_CONSTRUCTOR_ARGS) required
/// fields, `builder()` above. Crossing that line replaces one by the other.
pub(crate) fn constructor_style_changes(name: &str, old: &[Field], new: &[Field], out: &mut Changes) {
    match (uses_builder(old), uses_builder(new)) {
        (false, true) => out.push(
            ChangeKind::ConstructorStyleChanged,
            name,
            format!(
                "more than {} required fields: `{name}::new` is replaced by `{name}::builder()`",
                crate::model::MAX_CONSTRUCTOR_ARGS
            ),
            Class::Breaking,
        ),
        (true, false) => out.push(
            ChangeKind::ConstructorStyleChanged,
            name,
            format!(
                "at most {} required fields: `{name}::builder()` is replaced by `{name}::new`",
                crate::model::MAX_CONSTRUCTOR_ARGS
            ),
            Class::Breaking,
        ),
        _ => {}
    }
}

pub(crate) fn field_added(def: &TypeDef, fields: &[Field], field: &Field, out: &mut Changes) {
    let subject = format!("{}.{}", def.name, field.rust_name);
    let constructor = constructor_text(&def.name, fields);
    let (description, class) = if is_required_field(field) {
        let consequence = if uses_builder(fields) {
            format!("{constructor}…`.build()` fails until it is set")
        } else {
            format!("{constructor} gains an argument")
        };
        (
            format!("required field `{}: {}` added: {consequence}", field.rust_name, type_text(&field.ty)),
            Class::Breaking,
        )
    } else if field.read_only {
        (format!("optional read-only field `{}: {}` added", field.rust_name, type_text(&field.ty)), Class::Compatible)
    } else {
        (
            format!(
                "optional field `{}: {}` added: setter `.{}()`",
                field.rust_name,
                type_text(&field.ty),
                crate::naming::setter_name(&field.rust_name)
            ),
            Class::Compatible,
        )
    };
    out.push(ChangeKind::FieldAdded, &subject, description, class);
}

/// `fields`: the struct's old and new fields (which decide how it is constructed).
// Long: a list of independent checks on one field, each one push.
pub(crate) fn field_changes(def: &TypeDef, fields: (&[Field], &[Field]), old: &Field, new: &Field, out: &mut Changes) {
    let subject = format!("{}.{}", def.name, new.rust_name);
    let (old_inner, new_inner) = (old.ty.non_optional(), new.ty.non_optional());
    if old_inner != new_inner {
        out.push(
            ChangeKind::FieldRetyped,
            &subject,
            format!("type changed from `{}` to `{}`", type_text(&old.ty), type_text(&new.ty)),
            Class::Breaking,
        );
    }
    if is_option(&old.ty) != is_option(&new.ty) {
        // Optional now: what the old constructor did with it; required now: the new one.
        let constructor = match (is_option(&new.ty), uses_builder(fields.0), uses_builder(fields.1)) {
            (true, false, _) => format!("; no longer an argument of `{}::new`", def.name),
            (true, true, _) => format!("; no longer checked by `{}::builder()`…`.build()`", def.name),
            (false, _, false) => format!("; a new argument of `{}::new`", def.name),
            (false, _, true) => format!("; `{}::builder()`…`.build()` fails until it is set", def.name),
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
    let same_rust_type = old_inner == new_inner && is_option(&old.ty) == is_option(&new.ty);
    if old.nullable != new.nullable && same_rust_type {
        let description = if new.nullable {
            format!("now nullable: the server may send `null` (still `{}`)", type_text(&new.ty))
        } else {
            format!("no longer nullable (still `{}`)", type_text(&new.ty))
        };
        out.push(ChangeKind::FieldNullabilityChanged, &subject, description, Class::Compatible);
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
        // Optional fields have setters, read-only ones none.
        let has_setter = is_option(&new.ty);
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
    // A string enum's values are reported on the enum type itself.
    if old.constraints != new.constraints {
        out.push(
            ChangeKind::FieldConstraintsChanged,
            &subject,
            format!(
                "validation changed from {} to {}",
                constraints_text(&old.constraints),
                constraints_text(&new.constraints)
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

/// `{minLength 1, maxLength 10}` or `{none}`.
pub(crate) fn constraints_text(constraints: &Constraints) -> String {
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
        constraints.pattern.as_ref().map(|v| format!("pattern `{v}`")),
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

/// What the comparison of variants reads of a union's variant or a success
/// enum's: its name, its payload (none for a body-less status) and the
/// discriminator values or statuses that select it.
pub(crate) struct VariantView<'a> {
    rust_name: &'a str,
    payload: Option<&'a TypeRef>,
    tags: &'a [String],
}

impl<'a> From<&'a Variant> for VariantView<'a> {
    fn from(variant: &'a Variant) -> Self {
        VariantView { rust_name: &variant.rust_name, payload: Some(&variant.ty), tags: &variant.tags }
    }
}

impl<'a> From<&'a SuccessVariant> for VariantView<'a> {
    fn from(variant: &'a SuccessVariant) -> Self {
        VariantView {
            rust_name: &variant.rust_name,
            payload: variant.body.as_ref(),
            tags: std::slice::from_ref(&variant.status),
        }
    }
}

/// `Cat(Cat)`, or `NoContent` for a success enum's body-less status.
fn variant_text(variant: &VariantView) -> String {
    match variant.payload {
        Some(ty) => format!("{}({})", variant.rust_name, type_text(ty)),
        None => variant.rust_name.to_string(),
    }
}

/// A payload's type, `()` for none.
fn payload_text(payload: Option<&TypeRef>) -> String {
    payload.map_or_else(|| "()".to_string(), type_text)
}

/// Variants of a union (exhaustive: a new variant breaks `match`) or of a
/// success enum (`#[non_exhaustive]`), matched by Rust name.
pub(crate) fn variant_changes(
    name: &str,
    old: &[VariantView],
    new: &[VariantView],
    success_enum: bool,
    out: &mut Changes,
) {
    let (added_class, tags_label) =
        if success_enum { (Class::Compatible, "statuses") } else { (Class::Breaking, "discriminator values") };
    for old_variant in old {
        let Some(new_variant) = new.iter().find(|v| v.rust_name == old_variant.rust_name) else {
            out.push(
                ChangeKind::VariantRemoved,
                name,
                format!("variant `{}` removed", variant_text(old_variant)),
                Class::Breaking,
            );
            continue;
        };
        if old_variant.payload != new_variant.payload {
            out.push(
                ChangeKind::VariantRetyped,
                name,
                format!(
                    "variant `{}` payload changed from `{}` to `{}`",
                    new_variant.rust_name,
                    payload_text(old_variant.payload),
                    payload_text(new_variant.payload)
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
                format!("variant `{}` added{note}", variant_text(new_variant)),
                added_class,
            );
        }
    }
}
