//! Schemas → types. One entry point, [`Builder::type_of`], maps any schema to a
//! [`TypeRef`], defining named types for objects, enums and unions on the way.
//! Names of inline types come from where they appear (`ListPetsResponse`,
//! `PetOwner`), made unique in the `types` namespace.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, ArrayType, Discriminator, IntegerType, NumberType, ObjectType, ReferenceOr,
    Schema, SchemaKind, StringType, Type, VariantOrUnknownOrEmpty,
};

use super::build::Builder;
use super::{Constraints, Docs, EnumValue, Field, IntWidth, TypeDef, TypeKind, TypeRef, Variant};
use crate::diagnostics::escape_pointer_token;
use crate::naming::{camel, join_name, snake, Namespace};
use crate::normalize::TUPLE_EXTENSION;

/// Properties and required names gathered from an object schema (and `allOf` parts).
#[derive(Default)]
struct ObjectParts {
    properties: IndexMap<String, (ReferenceOr<Box<Schema>>, String)>,
    required: Vec<String>,
    /// `additionalProperties` and the pointer of the schema declaring it.
    additional: Option<(AdditionalProperties, String)>,
}

/// The property names an object schema declares (none for other schemas).
fn object_properties(schema: &Schema) -> Vec<String> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => object.properties.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// What an inline union branch is called when it has no `$ref`, so that a
/// variant is `VariantN` only as a last resort: its `title`, its one
/// discriminator value, the first required property no other branch declares
/// (`{url: …}` → `Url`), else `Object` for an object. `None` leaves the choice
/// to its Rust type (`String`, `Integer`, `Array`…).
fn inline_variant_name(schema: &Schema, tags: &[String], others: &[&String]) -> Option<String> {
    if let Some(title) = schema.schema_data.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let name = camel(title);
        if name.len() <= 40 {
            return Some(name);
        }
    }
    if let [tag] = tags {
        if tag.chars().any(|c| c.is_ascii_alphabetic()) {
            return Some(camel(tag));
        }
    }
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else { return None };
    if let Some(unique) = object.required.iter().find(|r| object.properties.contains_key(*r) && !others.contains(r)) {
        return Some(camel(unique));
    }
    Some("Object".to_string())
}

/// Docs from a schema's `title` and `description`.
pub fn docs_of(schema: &Schema) -> Docs {
    let data = &schema.schema_data;
    let text = match (&data.title, &data.description) {
        (Some(title), Some(description)) if description.trim() != title.trim() => {
            Some(format!("{}\n\n{}", title.trim(), description.trim()))
        }
        (Some(title), _) => Some(title.trim().to_string()),
        (None, Some(description)) => Some(description.trim().to_string()),
        (None, None) => None,
    };
    Docs { text: text.filter(|t| !t.is_empty()), deprecated: data.deprecated }
}

/// Validation rules of a schema.
pub fn constraints_of(schema: &Schema) -> Constraints {
    let mut rules = Constraints::default();
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            rules.max_length = s.max_length;
            rules.min_length = s.min_length;
            rules.pattern = s.pattern.clone();
        }
        SchemaKind::Type(Type::Integer(i)) => {
            rules.minimum = i.minimum.map(|m| (m as f64, i.exclusive_minimum));
            rules.maximum = i.maximum.map(|m| (m as f64, i.exclusive_maximum));
        }
        SchemaKind::Type(Type::Number(n)) => {
            rules.minimum = n.minimum.map(|m| (m, n.exclusive_minimum));
            rules.maximum = n.maximum.map(|m| (m, n.exclusive_maximum));
        }
        SchemaKind::Type(Type::Array(a)) => {
            rules.max_items = a.max_items;
            rules.min_items = a.min_items;
        }
        _ => {}
    }
    rules
}

/// String enum values of a schema, if it is one.
pub fn string_enum_values(schema: &Schema) -> Vec<String> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => s.enumeration.iter().flatten().cloned().collect(),
        SchemaKind::Any(any) if any.typ.as_deref().is_none_or(|t| t == "string") => {
            any.enumeration.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()
        }
        _ => Vec::new(),
    }
}

impl Builder<'_> {
    /// Drops a `pattern` the runtime cannot check, with a warning. The runtime
    /// matches with `regex-lite`, which lacks some ECMA-262 constructs
    /// (lookaround, backreferences); compiling here with the same engine means
    /// a kept pattern always compiles at run time, and an unsupported one is
    /// reported once, at generation, instead of silently never matching.
    pub(super) fn checked_pattern(&mut self, mut rules: Constraints, pointer: &str) -> Constraints {
        if let Some(pattern) = &rules.pattern {
            if let Err(err) = regex_lite::Regex::new(pattern) {
                let reason = err.to_string();
                let reason = reason.lines().last().unwrap_or("unsupported syntax").trim();
                self.warn(
                    &format!("{pointer}/pattern"),
                    format!("pattern `{pattern}` is not checked client-side: {reason}"),
                );
                rules.pattern = None;
            }
        }
        rules
    }

    /// The Rust type for `schema`, found at `pointer`; inline named types are called `hint`.
    pub fn type_of<T: AsSchema>(&mut self, schema: &ReferenceOr<T>, hint: &str, pointer: &str) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.type_of_reference(reference, pointer),
            ReferenceOr::Item(item) => self.type_of_schema(item.as_schema(), hint, pointer),
        }
    }

    fn type_of_reference(&mut self, reference: &str, pointer: &str) -> TypeRef {
        let Some(key) = reference.strip_prefix("#/components/schemas/") else {
            self.warn(
                pointer,
                format!("reference {reference:?} is not to components/schemas; typed as any JSON value"),
            );
            return TypeRef::Json;
        };
        let key = unescape_pointer_token(key);
        let Some(name) = self.component_names.get(&key).cloned() else {
            // `refs` removes dangling local references before building; this
            // catches what it cannot see (a key that differs only in encoding).
            self.warn(pointer, format!("dangling reference {reference:?}"));
            return TypeRef::Json;
        };
        let nullable = self.component_schema(&key).is_some_and(|s| s.schema_data.nullable);
        let named = TypeRef::Named(name);
        if nullable {
            named.optional()
        } else {
            named
        }
    }

    /// The Rust type for an inline schema.
    pub fn type_of_schema(&mut self, schema: &Schema, hint: &str, pointer: &str) -> TypeRef {
        let ty = self.non_null_type_of(schema, hint, pointer);
        if schema.schema_data.nullable {
            ty.optional()
        } else {
            ty
        }
    }

    fn non_null_type_of(&mut self, schema: &Schema, hint: &str, pointer: &str) -> TypeRef {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => self.string_type(schema, s, hint, pointer),
            SchemaKind::Type(Type::Integer(i)) => integer_type(i),
            SchemaKind::Type(Type::Number(n)) => number_type(n),
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Array(a)) => {
                self.tuple_type(schema, hint, pointer).unwrap_or_else(|| self.array_type(a, hint, pointer))
            }
            SchemaKind::Type(Type::Object(o)) => {
                if o.properties.is_empty() {
                    self.map_type(o.additional_properties.as_ref(), hint, pointer)
                } else {
                    self.define(hint, schema, pointer)
                }
            }
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                self.type_of(&all_of[0], hint, &format!("{pointer}/allOf/0"))
            }
            SchemaKind::AllOf { .. } => self.define(hint, schema, pointer),
            SchemaKind::OneOf { one_of: branches } | SchemaKind::AnyOf { any_of: branches } => {
                let key = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) { "oneOf" } else { "anyOf" };
                match branches.as_slice() {
                    [] => TypeRef::Json,
                    [only] => self.type_of(only, hint, &format!("{pointer}/{key}/0")),
                    _ => self.define(hint, schema, pointer),
                }
            }
            SchemaKind::Not { .. } => {
                self.warn(pointer, "`not` cannot be typed; any JSON value");
                TypeRef::Json
            }
            SchemaKind::Any(any) => self.any_type(schema, any, hint, pointer),
        }
    }

    fn string_type(&mut self, schema: &Schema, s: &StringType, hint: &str, pointer: &str) -> TypeRef {
        if s.enumeration.iter().any(Option::is_some) {
            return self.define(hint, schema, pointer);
        }
        match &s.format {
            VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::DateTime) => TypeRef::DateTime,
            VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Date) => TypeRef::Date,
            VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Byte) => TypeRef::Base64,
            VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary) => TypeRef::Binary,
            VariantOrUnknownOrEmpty::Unknown(format) if format == "uuid" => TypeRef::Uuid,
            _ => TypeRef::String,
        }
    }

    /// `(A, B)` for a fixed tuple of different members (see
    /// [`TUPLE_EXTENSION`]); members that are inline objects are named
    /// `{hint}0`, `{hint}1`, ….
    fn tuple_type(&mut self, schema: &Schema, hint: &str, pointer: &str) -> Option<TypeRef> {
        let members = schema.schema_data.extensions.get(TUPLE_EXTENSION)?;
        let members: Vec<ReferenceOr<Schema>> = match serde_json::from_value(members.clone()) {
            Ok(members) => members,
            Err(err) => {
                self.warn(
                    &format!("{pointer}/prefixItems"),
                    format!("unreadable tuple member ({err}); any JSON value"),
                );
                return None;
            }
        };
        let members = members
            .iter()
            .enumerate()
            .map(|(index, member)| {
                let member_pointer = format!("{pointer}/prefixItems/{index}");
                self.type_of(member, &format!("{hint}{index}"), &member_pointer)
            })
            .collect();
        Some(TypeRef::Tuple(members))
    }

    fn array_type(&mut self, array: &ArrayType, hint: &str, pointer: &str) -> TypeRef {
        let item = match &array.items {
            Some(items) => self.type_of(items, &format!("{hint}Item"), &format!("{pointer}/items")),
            None => TypeRef::Json,
        };
        TypeRef::Vec(Box::new(item))
    }

    fn map_type(&mut self, additional: Option<&AdditionalProperties>, hint: &str, pointer: &str) -> TypeRef {
        match additional {
            Some(AdditionalProperties::Schema(value)) => {
                let value = self.type_of(value, &format!("{hint}Value"), &format!("{pointer}/additionalProperties"));
                if value == TypeRef::Json {
                    TypeRef::JsonObject
                } else {
                    TypeRef::Map(Box::new(value))
                }
            }
            _ => TypeRef::JsonObject,
        }
    }

    /// Schemas whose keywords mix kinds (`properties` without `type`, `type` plus `oneOf`).
    fn any_type(&mut self, schema: &Schema, any: &AnySchema, hint: &str, pointer: &str) -> TypeRef {
        // `type: object` (or a description) beside a single `allOf` reference: the reference.
        if any.properties.is_empty() && any.all_of.len() == 1 && any.one_of.is_empty() && any.any_of.is_empty() {
            return self.type_of(&any.all_of[0], hint, &format!("{pointer}/allOf/0"));
        }
        let has_object_shape = !any.properties.is_empty() || !any.all_of.is_empty();
        if has_object_shape || !any.one_of.is_empty() || !any.any_of.is_empty() {
            return self.define(hint, schema, pointer);
        }
        if !string_enum_values(schema).is_empty() {
            return self.define(hint, schema, pointer);
        }
        match any.typ.as_deref() {
            Some("string") => TypeRef::String,
            // `type: integer` with a bound that does not fit `integer` (a float
            // `maximum: 1.8446744073709552e+19`, as Nomad writes uint64): the range decides.
            Some("integer")
                if any.minimum.is_some_and(|m| m >= 0.0) && any.maximum.is_some_and(|m| m > i64::MAX as f64) =>
            {
                TypeRef::Integer(IntWidth::U64)
            }
            Some("integer") => TypeRef::Integer(IntWidth::I64),
            Some("number") => TypeRef::Float(true),
            Some("boolean") => TypeRef::Bool,
            Some("array") if schema.schema_data.extensions.contains_key(TUPLE_EXTENSION) => {
                self.tuple_type(schema, hint, pointer).unwrap_or(TypeRef::Vec(Box::new(TypeRef::Json)))
            }
            Some("array") => match &any.items {
                Some(items) => {
                    TypeRef::Vec(Box::new(self.type_of(items, &format!("{hint}Item"), &format!("{pointer}/items"))))
                }
                None => TypeRef::Vec(Box::new(TypeRef::Json)),
            },
            Some("object") => self.map_type(any.additional_properties.as_ref(), hint, pointer),
            _ if any.items.is_some() => {
                let items = any
                    .items
                    .as_ref()
                    .map(|items| self.type_of(items, &format!("{hint}Item"), &format!("{pointer}/items")));
                TypeRef::Vec(Box::new(items.unwrap_or(TypeRef::Json)))
            }
            _ => TypeRef::Json,
        }
    }

    /// Defines a named type for `schema` under a fresh name derived from `hint`.
    fn define(&mut self, hint: &str, schema: &Schema, pointer: &str) -> TypeRef {
        if self.aliasing.iter().any(|&aliased| std::ptr::eq(aliased, schema)) {
            self.warn(
                pointer,
                "its `allOf`/`oneOf`/`anyOf` parts do not combine into one type; typed as any JSON value",
            );
            return TypeRef::Json;
        }
        if let Some(name) = self.defining.get(pointer).filter(|_| !pointer.is_empty()) {
            // Met again while being defined (a merged `allOf` part contains it): recursion.
            return TypeRef::Named(name.clone());
        }
        let name = self.type_names.claim(&camel(hint));
        // Reserve the slot first so that recursive references see the name.
        self.types.insert(name.clone(), placeholder(&name, pointer));
        self.defining.insert(pointer.to_string(), name.clone());
        let kind = self.kind_of(&name, schema, pointer);
        self.defining.shift_remove(pointer);
        self.finish_type(&name, schema, pointer, kind);
        TypeRef::Named(name)
    }

    /// Stores a type's final definition.
    pub fn finish_type(&mut self, name: &str, schema: &Schema, pointer: &str, kind: TypeKind) {
        let def = TypeDef {
            name: name.to_string(),
            pointer: pointer.to_string(),
            docs: docs_of(schema),
            kind,
            in_response: false,
            in_request: false,
        };
        self.types.insert(name.to_string(), def);
    }

    /// The shape of a named type for `schema`. Named component schemas come here
    /// directly; inline ones through [`Self::define`].
    pub fn kind_of(&mut self, name: &str, schema: &Schema, pointer: &str) -> TypeKind {
        let enum_values = string_enum_values(schema);
        if !enum_values.is_empty() {
            return enum_kind(&enum_values);
        }
        let branches = match &schema.schema_kind {
            SchemaKind::OneOf { one_of } if one_of.len() > 1 => Some(("oneOf", one_of)),
            SchemaKind::AnyOf { any_of } if any_of.len() > 1 => Some(("anyOf", any_of)),
            SchemaKind::Any(any) if any.one_of.len() > 1 && any.properties.is_empty() => Some(("oneOf", &any.one_of)),
            SchemaKind::Any(any) if any.any_of.len() > 1 && any.properties.is_empty() => Some(("anyOf", &any.any_of)),
            _ => None,
        };
        if let Some((key, branches)) = branches {
            return self.union_kind(name, schema, key, branches, pointer);
        }
        let mut parts = ObjectParts::default();
        let is_object = self.collect_object(schema, pointer, &mut parts, 0);
        if is_object && parts.properties.is_empty() {
            // Merged parts without a single property: a map, not an empty struct.
            let (additional, owner) = match &parts.additional {
                Some((additional, owner)) => (Some(additional), owner.as_str()),
                None => (None, pointer),
            };
            return TypeKind::Alias(self.map_type(additional, name, owner));
        }
        if is_object {
            return self.struct_kind(name, parts);
        }
        // A named primitive, array or map. A schema that only looked like an
        // object or union (an `allOf` with a part that is not an object, a lone
        // `oneOf` beside other keywords) would come back to `define`: marked
        // here, it degrades there instead of recursing forever.
        self.aliasing.push(std::ptr::from_ref(schema));
        let target = self.non_null_type_of_alias(schema, name, pointer);
        self.aliasing.pop();
        TypeKind::Alias(target)
    }

    fn non_null_type_of_alias(&mut self, schema: &Schema, name: &str, pointer: &str) -> TypeRef {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => self.map_type(o.additional_properties.as_ref(), name, pointer),
            _ => self.non_null_type_of(schema, name, pointer),
        }
    }

    /// Gathers properties from an object schema and its `allOf` parts.
    /// Returns false when the schema is not object-shaped.
    fn collect_object(&self, schema: &Schema, pointer: &str, parts: &mut ObjectParts, depth: usize) -> bool {
        if depth > 32 {
            return false;
        }
        let (properties, required, additional, all_of) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(ObjectType { properties, required, additional_properties, .. })) => {
                if properties.is_empty() && depth == 0 {
                    return false;
                }
                (Some(properties), required.as_slice(), additional_properties.as_ref(), None)
            }
            SchemaKind::AllOf { all_of } => (None, &[][..], None, Some(all_of)),
            SchemaKind::Any(any) if !any.properties.is_empty() || !any.all_of.is_empty() => {
                (Some(&any.properties), any.required.as_slice(), any.additional_properties.as_ref(), Some(&any.all_of))
            }
            _ => return depth > 0 && matches!(schema.schema_kind, SchemaKind::Any(_)),
        };
        if let Some(properties) = properties {
            for (property, property_schema) in properties {
                let p = format!("{pointer}/properties/{}", escape_pointer_token(property));
                parts.properties.insert(property.clone(), (property_schema.clone(), p));
            }
        }
        parts.required.extend(required.iter().cloned());
        if let Some(additional) = additional {
            parts.additional = Some((additional.clone(), pointer.to_string()));
        }
        if let Some(all_of) = all_of {
            for (index, part) in all_of.iter().enumerate() {
                let part_pointer = format!("{pointer}/allOf/{index}");
                let resolved = match part {
                    ReferenceOr::Reference { reference } => {
                        let key = reference.strip_prefix("#/components/schemas/").map(unescape_pointer_token);
                        match key.as_deref().and_then(|key| self.component_schema(key)) {
                            Some(target) => (target, format!("/components/schemas/{}", key.unwrap_or_default())),
                            None => return false,
                        }
                    }
                    ReferenceOr::Item(item) => (item, part_pointer),
                };
                if !self.collect_object(resolved.0, &resolved.1, parts, depth + 1) {
                    return false;
                }
            }
        }
        true
    }

    fn struct_kind(&mut self, name: &str, parts: ObjectParts) -> TypeKind {
        // A typed `additionalProperties` becomes the field `additional_properties`:
        // a property of that name is renamed rather than declared twice.
        let mut field_names = match &parts.additional {
            Some((AdditionalProperties::Schema(_), _)) => Namespace::with_reserved(&["additional_properties"]),
            _ => Namespace::default(),
        };
        let mut fields = Vec::with_capacity(parts.properties.len());
        for (wire_name, (property, pointer)) in parts.properties {
            let required = parts.required.contains(&wire_name);
            // Without stutter (`Api` + `ApiType` → `ApiType`) unless that name is
            // taken: a numbered `ApiType2` would say less than `ApiApiType`.
            let joined = join_name(name, &camel(&wire_name));
            let hint = if self.type_names.is_taken(&joined) { format!("{name}{}", camel(&wire_name)) } else { joined };
            let resolved = self.resolve_schema(&property);
            let (docs, constraints, read_only, nullable, password) = match resolved {
                Some(s) => (
                    docs_of(s),
                    constraints_of(s),
                    s.schema_data.read_only,
                    s.schema_data.nullable,
                    is_password_format(s),
                ),
                None => (Docs::default(), Constraints::default(), false, false, false),
            };
            let constraints = self.checked_pattern(constraints, &pointer);
            let mut ty = self.type_of(&property, &hint, &pointer);
            let is_text =
                matches!(&ty, TypeRef::String) || matches!(&ty, TypeRef::Option(inner) if **inner == TypeRef::String);
            let secret = is_text && (password || is_secret_name(&wire_name));
            if !required || read_only {
                ty = ty.optional();
            }
            fields.push(Field {
                rust_name: field_names.claim(&snake(&wire_name)),
                wire_name,
                ty,
                required,
                nullable,
                read_only,
                docs,
                constraints,
                secret,
            });
        }
        let additional = match &parts.additional {
            Some((AdditionalProperties::Schema(value), owner)) => {
                Some(self.type_of(value, &format!("{name}Value"), &format!("{owner}/additionalProperties")))
            }
            _ => None,
        };
        TypeKind::Struct { fields, additional }
    }

    fn union_kind<T: AsSchema>(
        &mut self,
        name: &str,
        schema: &Schema,
        key: &str,
        branches: &[ReferenceOr<T>],
        pointer: &str,
    ) -> TypeKind {
        // The union's own discriminator, else one every variant inherits through `allOf`.
        let inherited = match &schema.schema_data.discriminator {
            Some(_) => None,
            None => self.inherited_discriminator(branches),
        };
        let discriminator = schema.schema_data.discriminator.as_ref().or(inherited.as_ref());
        let mut variant_names = Namespace::with_reserved(&["Other", "Unknown"]);
        let mut variants = Vec::with_capacity(branches.len());
        // Property names each branch declares, to find what tells a variant apart.
        let declared: Vec<Vec<String>> =
            branches.iter().map(|b| self.resolve_schema(b).map(object_properties).unwrap_or_default()).collect();
        for (index, branch) in branches.iter().enumerate() {
            let branch_pointer = format!("{pointer}/{key}/{index}");
            let tags = discriminator.map(|d| self.variant_tags(d, branch, 0)).unwrap_or_default();
            let distinguishing = match branch {
                ReferenceOr::Item(item) => {
                    let others: Vec<&String> =
                        declared.iter().enumerate().filter(|(i, _)| *i != index).flat_map(|(_, p)| p).collect();
                    inline_variant_name(item.as_schema(), &tags, &others)
                }
                ReferenceOr::Reference { .. } => None,
            };
            let fallback = format!("Variant{}", index + 1);
            let hint_word = distinguishing.clone().unwrap_or_else(|| fallback.clone());
            let ty = self.type_of(branch, &format!("{name}{hint_word}"), &branch_pointer);
            let base = match (&ty, branch, distinguishing) {
                (_, ReferenceOr::Reference { reference }, _) => {
                    camel(reference.rsplit('/').next().unwrap_or("Variant"))
                }
                (_, _, Some(word)) => word,
                (TypeRef::String, _, _) => "String".to_string(),
                (TypeRef::Integer(_), _, _) => "Integer".to_string(),
                (TypeRef::Float(_), _, _) => "Number".to_string(),
                (TypeRef::Bool, _, _) => "Boolean".to_string(),
                (TypeRef::Vec(_), _, _) => "Array".to_string(),
                (TypeRef::Map(_), _, _) => "Map".to_string(),
                (TypeRef::Named(inner), _, _) => {
                    inner.strip_prefix(name).filter(|s| !s.is_empty()).unwrap_or(inner).to_string()
                }
                _ => fallback,
            };
            variants.push(Variant { rust_name: variant_names.claim(&base), ty, tags, guards: Vec::new() });
        }
        self.drop_claimed_tags(&mut variants, branches, pointer);
        let tagged = discriminator.is_some() && variants.iter().all(|v| !v.tags.is_empty());
        if discriminator.is_some() && !tagged {
            self.warn(
                pointer,
                "discriminator: an inline variant has no `enum`/`const` value for the property, so no value selects it; decoded untagged",
            );
        }
        TypeKind::Union { variants, discriminator: discriminator.filter(|_| tagged).map(|d| d.property_name.clone()) }
    }

    /// A value two variants claim (a shared parent's enum) selects the first, as
    /// a `match` would; the later one keeps its other values, else its
    /// component name, with a warning.
    fn drop_claimed_tags<T: AsSchema>(&mut self, variants: &mut [Variant], branches: &[ReferenceOr<T>], pointer: &str) {
        let mut claimed: Vec<String> = Vec::new();
        for (variant, branch) in variants.iter_mut().zip(branches) {
            let before = variant.tags.len();
            variant.tags.retain(|tag| !claimed.contains(tag));
            if variant.tags.len() < before {
                if variant.tags.is_empty() {
                    if let ReferenceOr::Reference { reference } = branch {
                        let component = unescape_pointer_token(reference.rsplit('/').next().unwrap_or_default());
                        if !claimed.contains(&component) {
                            variant.tags.push(component);
                        }
                    }
                }
                let message = format!(
                    "discriminator values of variant `{}` are claimed by an earlier variant; it is selected by {}",
                    variant.rust_name,
                    if variant.tags.is_empty() {
                        "nothing".to_string()
                    } else {
                        format!("`{}`", variant.tags.join("`, `"))
                    }
                );
                self.warn(pointer, message);
            }
            claimed.extend(variant.tags.iter().cloned());
        }
    }

    /// The discriminator values selecting `branch`: its `mapping` keys; else
    /// the values its discriminator property allows (`enum`/`const`, through
    /// `allOf`); else, for a nested union on the same property, its variants'
    /// values; else the component name. Empty for an inline variant without them.
    fn variant_tags<T: AsSchema>(&self, d: &Discriminator, branch: &ReferenceOr<T>, depth: usize) -> Vec<String> {
        if let ReferenceOr::Reference { reference } = branch {
            let mapped: Vec<String> = d
                .mapping
                .iter()
                .filter(|(_, target)| mapping_target(target) == *reference)
                .map(|(tag, _)| tag.clone())
                .collect();
            if !mapped.is_empty() {
                return mapped;
            }
        }
        if let Some(schema) = self.resolve_schema(branch) {
            if let Some(values) = self.property_values(schema, &d.property_name, 0) {
                return values;
            }
            let nested = match &schema.schema_kind {
                SchemaKind::OneOf { one_of: nested } | SchemaKind::AnyOf { any_of: nested } => Some(nested),
                _ => None,
            };
            let inner =
                schema.schema_data.discriminator.as_ref().filter(|inner| inner.property_name == d.property_name);
            if let (Some(nested), Some(inner), true) = (nested, inner, depth < 8) {
                let tags: Vec<Vec<String>> = nested.iter().map(|b| self.variant_tags(inner, b, depth + 1)).collect();
                if tags.iter().all(|t| !t.is_empty()) {
                    return tags.into_iter().flatten().collect();
                }
            }
        }
        match branch {
            ReferenceOr::Reference { reference } => {
                vec![unescape_pointer_token(reference.rsplit('/').next().unwrap_or_default())]
            }
            ReferenceOr::Item(_) => Vec::new(),
        }
    }

    /// The string values `property` of an object schema may take, when its
    /// schema lists them (`enum`, or `const` normalized to a one-value enum),
    /// looking through `allOf` parts; the smallest such list wins, so a child's
    /// `enum: [cat]` beats its parent's `enum: [cat, dog]`.
    fn property_values(&self, schema: &Schema, property: &str, depth: usize) -> Option<Vec<String>> {
        if depth > 16 {
            return None;
        }
        let (properties, all_of) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => (Some(&o.properties), None),
            SchemaKind::AllOf { all_of } => (None, Some(all_of)),
            SchemaKind::Any(any) => (Some(&any.properties), Some(&any.all_of)),
            _ => (None, None),
        };
        let mut best: Option<Vec<String>> = properties
            .and_then(|p| p.get(property))
            .and_then(|p| self.resolve_schema(p))
            .map(string_enum_values)
            .filter(|values| !values.is_empty());
        for part in all_of.into_iter().flatten() {
            let Some(part) = self.resolve_schema(part) else { continue };
            if let Some(values) = self.property_values(part, property, depth + 1) {
                if best.as_ref().is_none_or(|b| values.len() < b.len()) {
                    best = Some(values);
                }
            }
        }
        best
    }

    /// The discriminator every branch inherits (from its own schema or an
    /// `allOf` part, at any depth), when they all name the same property; the
    /// mappings merged.
    fn inherited_discriminator<T: AsSchema>(&self, branches: &[ReferenceOr<T>]) -> Option<Discriminator> {
        let mut merged: Option<Discriminator> = None;
        for branch in branches {
            let schema = self.resolve_schema(branch)?;
            let found = self.discriminator_of(schema, 0)?;
            match &mut merged {
                None => merged = Some(found.clone()),
                Some(d) if d.property_name == found.property_name => {
                    for (tag, target) in &found.mapping {
                        d.mapping.entry(tag.clone()).or_insert_with(|| target.clone());
                    }
                }
                Some(_) => return None,
            }
        }
        merged
    }

    fn discriminator_of<'s>(&'s self, schema: &'s Schema, depth: usize) -> Option<&'s Discriminator> {
        if let Some(d) = &schema.schema_data.discriminator {
            // A union's own discriminator is about its variants, not about it as a variant.
            if !matches!(schema.schema_kind, SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. }) {
                return Some(d);
            }
            return None;
        }
        let all_of = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of,
            SchemaKind::Any(any) => &any.all_of,
            _ => return None,
        };
        if depth > 16 {
            return None;
        }
        all_of.iter().find_map(|part| self.discriminator_of(self.resolve_schema(part)?, depth + 1))
    }
}

/// A `mapping` value as a reference: bare names are component names.
fn mapping_target(target: &str) -> String {
    if target.starts_with('#') || target.contains('/') {
        target.to_string()
    } else {
        format!("#/components/schemas/{target}")
    }
}

/// `format: password`.
fn is_password_format(schema: &Schema) -> bool {
    matches!(
        &schema.schema_kind,
        SchemaKind::Type(Type::String(StringType {
            format: VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Password),
            ..
        }))
    )
}

/// Field names that hold credentials (`client_secret`, `password`, `api_key`,
/// `access_token`…). Paging tokens (`next_page_token`) and names of secrets
/// (`secret_id`, `secret_store_config`) are not secrets.
pub fn is_secret_name(wire_name: &str) -> bool {
    let name = snake(wire_name);
    const EXACT: &[&str] = &[
        "token",
        "access_token",
        "refresh_token",
        "id_token",
        "bearer_token",
        "private_key",
        "passphrase",
        "credential",
    ];
    EXACT.contains(&name.as_str())
        || name == "secret"
        || name.ends_with("_secret")
        || name.contains("password")
        || name.ends_with("api_key")
        || name.ends_with("apikey")
}

fn enum_kind(values: &[String]) -> TypeKind {
    let mut names = Namespace::with_reserved(&["Unknown"]);
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for wire in values {
        if seen.contains(wire) {
            continue;
        }
        seen.push(wire.clone());
        let base = if wire.is_empty() { "Empty".to_string() } else { camel(wire) };
        out.push(EnumValue { rust_name: names.claim(&base), wire: wire.clone() });
    }
    TypeKind::Enum { values: out }
}

fn placeholder(name: &str, pointer: &str) -> TypeDef {
    TypeDef {
        name: name.to_string(),
        pointer: pointer.to_string(),
        docs: Docs::default(),
        kind: TypeKind::Alias(TypeRef::Json),
        in_response: false,
        in_request: false,
    }
}

fn integer_type(integer: &IntegerType) -> TypeRef {
    let width = match &integer.format {
        VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => IntWidth::I32,
        VariantOrUnknownOrEmpty::Unknown(format) => match format.as_str() {
            "int8" => IntWidth::I8,
            "int16" => IntWidth::I16,
            "int32" => IntWidth::I32,
            "uint8" => IntWidth::U8,
            "uint16" => IntWidth::U16,
            "uint32" => IntWidth::U32,
            "uint64" | "uint" => IntWidth::U64,
            _ => IntWidth::I64,
        },
        _ => IntWidth::I64,
    };
    TypeRef::Integer(width)
}

fn number_type(number: &NumberType) -> TypeRef {
    TypeRef::Float(!matches!(number.format, VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float)))
}

/// Decodes one JSON pointer token (`~1` → `/`, `~0` → `~`).
pub fn unescape_pointer_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// `Schema` and `Box<Schema>` alike.
pub trait AsSchema {
    /// The schema.
    fn as_schema(&self) -> &Schema;
}

impl AsSchema for Schema {
    fn as_schema(&self) -> &Schema {
        self
    }
}

impl AsSchema for Box<Schema> {
    fn as_schema(&self) -> &Schema {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::is_secret_name;

    #[test]
    fn secret_names() {
        for name in ["client_secret", "clientSecret", "password", "api_key", "apiKey", "access_token", "token"] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in ["next_page_token", "page_token", "secret_id", "secret_store_config", "requires_secret_rotation"] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn discriminator_values_come_from_mapping_enum_nesting_inheritance_or_names() {
        let spec = include_str!("../../../tests/fixtures/discriminators.yaml");
        let options =
            crate::Options { layout: crate::Layout::Module { name: "t".into() }, preamble: String::new(), mock: false };
        let output = crate::generate_str(spec, "discriminators.yaml", &options).unwrap_or_else(|e| panic!("{e}"));
        let tags = |union: &str| -> (Option<String>, Vec<Vec<String>>) {
            let super::TypeKind::Union { variants, discriminator } = &output.api.types[union].kind else {
                panic!("{union} is not a union")
            };
            (discriminator.clone(), variants.iter().map(|v| v.tags.clone()).collect())
        };
        let strings = |groups: &[&[&str]]| -> Vec<Vec<String>> {
            groups.iter().map(|g| g.iter().map(|s| s.to_string()).collect()).collect()
        };
        // Without mapping: each variant's `enum`, not its component name.
        assert_eq!(tags("Message"), (Some("role".into()), strings(&[&["developer"], &["user"]])));
        // Without mapping or enum: component names.
        assert_eq!(tags("Shape"), (Some("kind".into()), strings(&[&["Circle"], &["Square"]])));
        // Mapping values as bare names and as references.
        assert_eq!(tags("Vehicle"), (Some("type".into()), strings(&[&["car"], &["bike"]])));
        // A nested union on the same property answers for all its values.
        assert_eq!(tags("Animal"), (Some("kind".into()), strings(&[&["cat", "dog"], &["wild"]])));
        // Inherited through `allOf`: the child's enum, else the parent's mapping.
        assert_eq!(tags("Creature"), (Some("petType".into()), strings(&[&["feline"], &["canine"]])));
    }

    #[test]
    fn a_property_named_additional_properties_does_not_clash_with_the_map() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Bag:\n      type: object\n      properties: {additional_properties: {type: string}}\n      additionalProperties: {type: integer}\n";
        let options =
            crate::Options { layout: crate::Layout::Module { name: "t".into() }, preamble: String::new(), mock: false };
        let output = crate::generate_str(spec, "t.yaml", &options).unwrap_or_else(|e| panic!("{e}"));
        let super::TypeKind::Struct { fields, additional } = &output.api.types["Bag"].kind else { panic!() };
        assert_eq!(fields[0].rust_name, "additional_properties2");
        assert_eq!(additional.as_ref(), Some(&super::TypeRef::Integer(super::IntWidth::I64)));
    }
}
