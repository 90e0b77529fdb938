//! A parameter's `style` and `explode` (OpenAPI 3.0.3 §4.7.12.4), with a
//! located warning for every combination that has no defined serialization
//! and is therefore sent in a fallback form.

use openapiv3::{
    CookieStyle, Parameter, ParameterSchemaOrContent, PathStyle, QueryStyle, ReferenceOr, Schema, SchemaKind, Type,
};

use super::build::Builder;
use super::ParamStyle;

/// What a parameter's schema is, as the styles see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A string, number, boolean, or anything else written as one value.
    Primitive,
    /// `type: array`.
    Array,
    /// `type: object` (properties or additional properties).
    Object,
}

impl Builder<'_> {
    /// The style and explode value of `parameter`, warning at `pointer` when
    /// the pair is not defined for the parameter's shape.
    pub(super) fn param_style(&mut self, parameter: &Parameter, pointer: &str) -> (ParamStyle, bool) {
        let data = parameter.parameter_data_ref();
        let ParameterSchemaOrContent::Schema(schema) = &data.format else {
            return (ParamStyle::Content, false);
        };
        let style = match parameter {
            Parameter::Path { style: PathStyle::Simple, .. } | Parameter::Header { .. } => ParamStyle::Simple,
            Parameter::Path { style: PathStyle::Label, .. } => ParamStyle::Label,
            Parameter::Path { style: PathStyle::Matrix, .. } => ParamStyle::Matrix,
            Parameter::Query { style: QueryStyle::Form, .. } | Parameter::Cookie { style: CookieStyle::Form, .. } => {
                ParamStyle::Form
            }
            Parameter::Query { style: QueryStyle::SpaceDelimited, .. } => ParamStyle::SpaceDelimited,
            Parameter::Query { style: QueryStyle::PipeDelimited, .. } => ParamStyle::PipeDelimited,
            Parameter::Query { style: QueryStyle::DeepObject, .. } => ParamStyle::DeepObject,
        };
        // §4.7.12.2: `explode` defaults to true for `form` and false otherwise.
        let explode = data.explode.unwrap_or(style == ParamStyle::Form);
        let (shape, nested) = self.shape_of(schema);
        let fallback = match (style, shape) {
            (ParamStyle::DeepObject, Shape::Array | Shape::Primitive) => {
                Some("`style: deepObject` is defined for objects only; sent as `form`, exploded".to_owned())
            }
            (ParamStyle::DeepObject, Shape::Object) if !explode => {
                Some("`style: deepObject` is defined with `explode: true` only; sent exploded".to_owned())
            }
            (ParamStyle::SpaceDelimited | ParamStyle::PipeDelimited, Shape::Array | Shape::Object) if explode => {
                Some(format!("`style: {}` with `explode: true` is not defined; sent as `form`, exploded", name(style)))
            }
            (ParamStyle::Form, Shape::Array | Shape::Object)
                if explode && matches!(parameter, Parameter::Cookie { .. }) =>
            {
                Some("an exploded cookie array or object is not defined; sent as one cookie, not exploded".to_owned())
            }
            _ => None,
        };
        if let Some(message) = fallback {
            self.warn(pointer, message);
        }
        if nested && style != ParamStyle::DeepObject {
            self.warn(
                pointer,
                format!(
                    "`style: {}` defines no form for nested arrays or objects; those values are sent as JSON text",
                    name(style)
                ),
            );
        }
        (style, explode)
    }

    /// The shape of a parameter schema, and whether its items or properties
    /// are themselves arrays or objects.
    fn shape_of(&self, schema: &ReferenceOr<Schema>) -> (Shape, bool) {
        let Some(schema) = self.resolve_schema(schema) else { return (Shape::Primitive, false) };
        let shape = self.own_shape(schema);
        let nested = match &schema.schema_kind {
            SchemaKind::Type(Type::Array(array)) => array
                .items
                .as_ref()
                .and_then(|items| self.resolve_schema(items))
                .is_some_and(|items| self.own_shape(items) != Shape::Primitive),
            SchemaKind::Type(Type::Object(object)) => object
                .properties
                .values()
                .filter_map(|property| self.resolve_schema(property))
                .any(|property| self.own_shape(property) != Shape::Primitive),
            _ => false,
        };
        (shape, nested)
    }

    fn own_shape(&self, schema: &Schema) -> Shape {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Array(_)) => Shape::Array,
            SchemaKind::Type(Type::Object(_)) => Shape::Object,
            SchemaKind::AllOf { .. } => Shape::Object,
            SchemaKind::Any(any) if !any.properties.is_empty() => Shape::Object,
            _ => Shape::Primitive,
        }
    }
}

/// The style as the spec spells it.
fn name(style: ParamStyle) -> &'static str {
    match style {
        ParamStyle::Simple => "simple",
        ParamStyle::Label => "label",
        ParamStyle::Matrix => "matrix",
        ParamStyle::Form => "form",
        ParamStyle::SpaceDelimited => "spaceDelimited",
        ParamStyle::PipeDelimited => "pipeDelimited",
        ParamStyle::DeepObject => "deepObject",
        ParamStyle::Content => "content",
    }
}
