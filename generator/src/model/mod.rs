//! Stage 2: the intermediate model. It knows Rust names and shapes but nothing of
//! tokens; `emit` turns it into code. Every collection is ordered (spec order, or
//! sorted where the spec has no order), so the output is deterministic.

mod build;
mod dedup;
pub mod features;
mod multipart;
mod operations;
mod pagination;
mod pagination_inference;
mod param_style;
mod recursion;
mod schema;
mod security;
pub mod type_refs;
mod unions;
mod wire;

use indexmap::IndexMap;

pub use build::build;
pub use operations::{is_json, route_shape};
pub use wire::{is_event_stream, FormPart, MultipartForm, PartKind};

/// One API: everything the emitter needs.
#[derive(Debug, Clone)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `info.version`.
    pub version: String,
    /// The first server's URL with variables at their defaults.
    pub default_base_url: Option<String>,
    /// Security schemes the API declares, in spec order.
    pub security: Vec<SecurityScheme>,
    /// Parameters set once on the client builder (`x-client-default: true`).
    pub client_params: Vec<ClientParam>,
    /// OAuth2 flows whose token endpoint the client can call itself.
    pub oauth_flows: Vec<OAuthFlow>,
    /// Named types, keyed by Rust name, in the order they were first met.
    pub types: IndexMap<String, TypeDef>,
    /// Tags (operation modules), keyed by module name.
    pub tags: IndexMap<String, Tag>,
    /// Operations in spec order.
    pub operations: Vec<Operation>,
    /// How many structurally identical types were merged into others (see `dedup`).
    pub deduplicated_types: usize,
}

/// An operation module.
#[derive(Debug, Clone)]
pub struct Tag {
    /// The tag as the spec names it.
    pub name: String,
    /// The tag's description.
    pub description: Option<String>,
}

/// A declared security scheme the client can apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityScheme {
    /// `Authorization: Bearer <token>` (http bearer, OAuth 2, OpenID Connect).
    Bearer,
    /// `Authorization: Basic …`.
    Basic,
    /// An API key in a header.
    ApiKeyHeader(String),
    /// An API key in a query parameter.
    ApiKeyQuery(String),
    /// An API key in a cookie.
    ApiKeyCookie(String),
}

/// An OAuth2 grant the generated builder offers as a setter
/// (`.oauth2_client_credentials(id, secret)`), with the spec's token URL
/// and scopes.
#[derive(Debug, Clone)]
pub struct OAuthFlow {
    /// The setter's name.
    pub setter: String,
    /// The grant the setter starts with.
    pub grant: OAuthGrant,
    /// The absolute token (or refresh) endpoint.
    pub token_url: String,
    /// The flow's declared scopes, in spec order.
    pub scopes: Vec<String>,
    /// The security scheme's name in the spec.
    pub scheme: String,
}

/// Which RFC 6749 grant an [`OAuthFlow`] runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OAuthGrant {
    /// §4.4, from the `clientCredentials` flow.
    ClientCredentials,
    /// §6, at the `refreshUrl` (else `tokenUrl`) of the first flow that has one.
    RefreshToken,
}

/// A parameter every call carries, configured on the client.
#[derive(Debug, Clone)]
pub struct ClientParam {
    /// The builder setter's name.
    pub rust_name: String,
    /// The header name on the wire.
    pub wire_name: String,
    /// Its docs.
    pub doc: Option<String>,
    /// The schema's constraints, checked by the setter (the value is text).
    pub constraints: Constraints,
}

/// A reference to a Rust type, as fields, parameters and bodies use it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    /// A named type in the `types` module.
    Named(String),
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// A sized integer.
    Integer(IntWidth),
    /// `f32` or `f64`.
    Float(bool),
    /// `chrono::DateTime<chrono::Utc>` (format `date-time`).
    DateTime,
    /// `chrono::NaiveDate` (format `date`).
    Date,
    /// `uuid::Uuid`.
    Uuid,
    /// Base64 text decoded to bytes (format `byte`).
    Base64,
    /// Raw bytes (format `binary`, octet-stream bodies).
    Binary,
    /// Any JSON value.
    Json,
    /// A free-form JSON object.
    JsonObject,
    /// `Vec<T>`.
    Vec(Box<TypeRef>),
    /// `BTreeMap<String, T>` (ordered, so serialization is stable).
    Map(Box<TypeRef>),
    /// `Option<T>`.
    Option(Box<TypeRef>),
    /// `Box<T>`, breaking a recursive cycle.
    Boxed(Box<TypeRef>),
    /// `(A, B, …)`: a fixed-length array of different element types
    /// (`prefixItems` with `items: false`).
    Tuple(Vec<TypeRef>),
}

/// Integer widths from `format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntWidth {
    /// `int8`.
    I8,
    /// `int16`.
    I16,
    /// `int32`.
    I32,
    /// `int64` or none.
    I64,
    /// `uint8`.
    U8,
    /// `uint16`.
    U16,
    /// `uint32`.
    U32,
    /// `uint64`.
    U64,
}

impl TypeRef {
    /// Wraps in `Option` unless it already is one.
    pub fn optional(self) -> TypeRef {
        match self {
            TypeRef::Option(_) => self,
            other => TypeRef::Option(Box::new(other)),
        }
    }

    /// The named type this refers to through `Option`/`Box` (not through collections).
    pub fn direct_name(&self) -> Option<&str> {
        match self.unwrapped() {
            TypeRef::Named(name) => Some(name),
            _ => None,
        }
    }

    /// The type inside `Option` (itself when not optional).
    pub fn non_optional(&self) -> &TypeRef {
        match self {
            TypeRef::Option(inner) => inner.non_optional(),
            other => other,
        }
    }

    /// [`non_optional`](Self::non_optional), by value.
    pub fn into_non_optional(self) -> TypeRef {
        match self {
            TypeRef::Option(inner) => inner.into_non_optional(),
            other => other,
        }
    }

    /// The type inside `Option` and `Box`, which change how a value is held,
    /// not what it is.
    pub fn unwrapped(&self) -> &TypeRef {
        match self {
            TypeRef::Option(inner) | TypeRef::Boxed(inner) => inner.unwrapped(),
            other => other,
        }
    }

    /// The types this one is built from: the element of a `Vec`, the value
    /// of a map, the inner type of `Option` and `Box`, the members of a
    /// tuple; none for a leaf. Walks over type references go through this,
    /// so a new wrapper is added in one place.
    pub fn children(&self) -> &[TypeRef] {
        match self {
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) | TypeRef::Boxed(inner) => {
                std::slice::from_ref(&**inner)
            }
            TypeRef::Tuple(members) => members,
            _ => &[],
        }
    }

    /// [`children`](Self::children), mutably.
    pub fn children_mut(&mut self) -> &mut [TypeRef] {
        match self {
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) | TypeRef::Boxed(inner) => {
                std::slice::from_mut(&mut **inner)
            }
            TypeRef::Tuple(members) => members,
            _ => &mut [],
        }
    }

    /// Every named type this mentions, collections included.
    pub fn names<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            TypeRef::Named(name) => out.push(name),
            other => other.children().iter().for_each(|child| child.names(out)),
        }
    }
}

/// Documentation and validation facts shared by types and fields.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Docs {
    /// `title`, then `description`, joined.
    pub text: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
}

/// Validation rules from the spec, checked by generated `validate()` code.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `maxLength`.
    pub max_length: Option<usize>,
    /// `minLength`.
    pub min_length: Option<usize>,
    /// `minimum` and whether it is exclusive.
    pub minimum: Option<(f64, bool)>,
    /// `maximum` and whether it is exclusive.
    pub maximum: Option<(f64, bool)>,
    /// `maxItems`.
    pub max_items: Option<usize>,
    /// `minItems`.
    pub min_items: Option<usize>,
    /// `pattern`, kept only when the runtime's regex engine compiles it (see
    /// `Builder::checked_constraints`).
    pub pattern: Option<String>,
}

impl Constraints {
    /// Whether there is anything to check.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// The most required fields a struct's positional `new(…)` takes. Above it
/// the struct gets `Type::builder()` instead: four or more positional
/// arguments (often all `String`s, like an account, a user, an integration
/// and a justification) are too easy to pass in the wrong order, and named
/// builder setters cannot be swapped silently.
pub const MAX_CONSTRUCTOR_ARGS: usize = 3;

/// A struct field `new(…)` takes (or the builder requires): not an `Option`.
pub fn is_required_field(field: &Field) -> bool {
    !matches!(field.ty, TypeRef::Option(_))
}

/// Whether a struct with these fields is built with `Type::builder()` rather
/// than `Type::new(…)` (more than [`MAX_CONSTRUCTOR_ARGS`] required fields).
pub fn uses_builder(fields: &[Field]) -> bool {
    fields.iter().filter(|f| is_required_field(f)).count() > MAX_CONSTRUCTOR_ARGS
}

/// How many aliases a walk follows from one type reference: a chain of
/// aliases cannot loop (`recursion::break_alias_cycles`), but a spec can make
/// one long, and no walk may take time by it.
pub const MAX_ALIAS_DEPTH: usize = 16;

/// The type `ty` stands for behind aliases (`pub type A = B;`), up to
/// [`MAX_ALIAS_DEPTH`] of them: a type that is not a named alias is itself.
pub fn through_aliases<'a>(types: &'a IndexMap<String, TypeDef>, ty: &'a TypeRef) -> &'a TypeRef {
    let mut ty = ty;
    for _ in 0..MAX_ALIAS_DEPTH {
        match ty {
            TypeRef::Named(name) => match types.get(name).map(|def| &def.kind) {
                Some(TypeKind::Alias(target)) => ty = target,
                _ => break,
            },
            _ => break,
        }
    }
    ty
}

/// A named type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Rust name.
    pub name: String,
    /// Where it was defined (JSON pointer).
    pub pointer: String,
    /// Docs.
    pub docs: Docs,
    /// Its shape.
    pub kind: TypeKind,
    /// Whether responses decode it (then structs are `#[non_exhaustive]` and no
    /// variant may fail on new server values).
    pub in_response: bool,
    /// Whether requests send it (then it gets a constructor and setters).
    pub in_request: bool,
}

/// The shape of a named type.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// A struct with named fields, plus `additionalProperties` when typed.
    Struct {
        /// Fields in spec order.
        fields: Vec<Field>,
        /// `additionalProperties: <schema>` → a flattened map of the rest.
        additional: Option<TypeRef>,
    },
    /// A string enum with an `Unknown(String)` fallback.
    Enum {
        /// Known values.
        values: Vec<EnumValue>,
    },
    /// `oneOf`/`anyOf`.
    Union {
        /// Variants in spec order.
        variants: Vec<Variant>,
        /// `discriminator.propertyName`, when present.
        discriminator: Option<String>,
    },
    /// `pub type Name = T;` for named primitives, arrays and maps.
    Alias(TypeRef),
    /// The successful responses of one operation when they differ in type:
    /// one variant per status, built by the operation, never by serde.
    Responses {
        /// One variant per documented success status.
        variants: Vec<SuccessVariant>,
    },
}

impl TypeKind {
    /// Every type reference of the definition: fields and additional
    /// properties, variant payloads, the alias target. Walks that follow a
    /// type's references (reachability, nesting depth, optional
    /// dependencies) go through this, so a new kind is added in one place.
    pub fn type_refs(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct { fields, additional } => fields.iter().map(|f| &f.ty).chain(additional).collect(),
            TypeKind::Union { variants, .. } => variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Responses { variants } => variants.iter().filter_map(|v| v.body.as_ref()).collect(),
            TypeKind::Alias(target) => vec![target],
            TypeKind::Enum { .. } => Vec::new(),
        }
    }
}

/// A variant of a success enum ([`TypeKind::Responses`]).
#[derive(Debug, Clone, PartialEq)]
pub struct SuccessVariant {
    /// The variant name (`Ok`, `Created`).
    pub rust_name: String,
    /// The status key it stands for (`200`, `2XX`, `default`).
    pub status: String,
    /// The payload (`String` for a text body, `Binary` for bytes); `None` for
    /// a status without a body, a unit variant.
    pub body: Option<TypeRef>,
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// Rust field name (may be a keyword: emit as raw).
    pub rust_name: String,
    /// JSON property name.
    pub wire_name: String,
    /// The field's type, `Option` included when not required or nullable.
    pub ty: TypeRef,
    /// Listed in `required`.
    pub required: bool,
    /// `nullable: true`.
    pub nullable: bool,
    /// `readOnly: true`: never sent by clients.
    pub read_only: bool,
    /// Docs.
    pub docs: Docs,
    /// Validation rules.
    pub constraints: Constraints,
    /// A credential (`format: password`, or a name like `client_secret`):
    /// redacted in `Debug`.
    pub secret: bool,
}

/// A string enum value.
#[derive(Debug, Clone)]
pub struct EnumValue {
    /// The variant name.
    pub rust_name: String,
    /// The value on the wire.
    pub wire: String,
}

/// A `oneOf`/`anyOf` variant.
#[derive(Debug, Clone)]
pub struct Variant {
    /// The variant name.
    pub rust_name: String,
    /// The variant's payload.
    pub ty: TypeRef,
    /// The discriminator values selecting it (empty when untagged).
    pub tags: Vec<String>,
    /// In an untagged union: required properties with one fixed value
    /// (`type: {enum: [range]}`) a payload must carry to be this variant, so
    /// that an open enum field never makes it match everything (see `unions.rs`).
    pub guards: Vec<(String, String)>,
}

/// An HTTP operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `operationId` (synthesized from method and path when missing).
    pub operation_id: String,
    /// The client method name.
    pub method_name: String,
    /// The request builder type name.
    pub builder_name: String,
    /// The name of the operation's error enum (`GetPetError`), beside the
    /// builder in the tag module.
    pub error_name: String,
    /// Upper-case HTTP method.
    pub http_method: String,
    /// The path template as written in the spec.
    pub path: String,
    /// The module (tag) it belongs to.
    pub tag: String,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Parameters: path ones in template order, then the rest in spec order.
    pub params: Vec<Param>,
    /// The request body.
    pub body: Option<RequestBody>,
    /// Responses.
    pub responses: Responses,
    /// Declared pagination.
    pub pagination: Option<Pagination>,
    /// Security requirements: alternatives, each a set of schemes all
    /// needed; empty for an anonymous operation (`security: []`); `None`
    /// when neither the operation nor the document declares any.
    pub security: Option<Vec<Vec<SecurityScheme>>>,
    /// JSON pointer of the operation.
    pub pointer: String,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// A path segment.
    Path,
    /// The query string.
    Query,
    /// A header.
    Header,
    /// A cookie.
    Cookie,
}

/// An operation parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Rust name (setter or argument).
    pub rust_name: String,
    /// Wire name.
    pub wire_name: String,
    /// Location.
    pub location: ParamLocation,
    /// Type (never `Option`; optionality is `required`).
    pub ty: TypeRef,
    /// Required parameters are method arguments.
    pub required: bool,
    /// The serialization `style` (the location's default when unset).
    pub style: ParamStyle,
    /// `explode` as declared, or the style's default (`true` for `form`).
    pub explode: bool,
    /// Set once on the client instead of per call.
    pub client_default: bool,
    /// Docs.
    pub docs: Docs,
    /// Validation rules.
    pub constraints: Constraints,
}

/// How a parameter is serialized: OpenAPI's `style`, or a `content` map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `simple` (path and header default).
    Simple,
    /// `label` (path).
    Label,
    /// `matrix` (path).
    Matrix,
    /// `form` (query and cookie default).
    Form,
    /// `spaceDelimited` (query).
    SpaceDelimited,
    /// `pipeDelimited` (query).
    PipeDelimited,
    /// `deepObject` (query).
    DeepObject,
    /// A `content` map instead of a schema: the value's JSON text.
    Content,
}

/// How a request body is encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyEncoding {
    /// JSON.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// Raw bytes with the given content type.
    Bytes(String),
    /// Text with the given content type.
    Text(String),
    /// `multipart/form-data`: a typed form (see `wire.rs`).
    Multipart(MultipartForm),
}

/// A request body.
#[derive(Debug, Clone)]
pub struct RequestBody {
    /// Encoding.
    pub encoding: BodyEncoding,
    /// The media type as declared.
    pub media_type: String,
    /// Rust type.
    pub ty: TypeRef,
    /// Required bodies are method arguments; optional ones a setter.
    pub required: bool,
    /// Docs.
    pub docs: Docs,
}

/// How a response body is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseKind {
    /// No body (`()`).
    Empty,
    /// JSON decoded into the type.
    Json(TypeRef),
    /// Text.
    Text,
    /// Bytes.
    Bytes,
}

impl ResponseKind {
    /// The type the body is read as: `String` for text, `Binary` for bytes,
    /// `None` without a body.
    pub fn payload(&self) -> Option<TypeRef> {
        match self {
            ResponseKind::Empty => None,
            ResponseKind::Json(ty) => Some(ty.clone()),
            ResponseKind::Text => Some(TypeRef::String),
            ResponseKind::Bytes => Some(TypeRef::Binary),
        }
    }
}

/// One documented response.
#[derive(Debug, Clone)]
pub struct ResponseCase {
    /// The status key as written (`200`, `4XX`, `default`).
    pub status: String,
    /// Variant name in a multi-success enum.
    pub variant: String,
    /// The body.
    pub kind: ResponseKind,
    /// The media type read (the `Accept` header).
    pub media_type: Option<String>,
    /// Its description.
    pub description: Option<String>,
    /// With a `text/event-stream` media type: the type of each event's data
    /// (`String` when the schema gives none or a string).
    pub events: Option<TypeRef>,
}

/// All documented responses of an operation.
#[derive(Debug, Clone, Default)]
pub struct Responses {
    /// 2xx cases (or `default` when no 2xx is documented).
    pub success: Vec<ResponseCase>,
    /// Every documented non-success case (statuses, ranges, `default`), in
    /// spec order, with or without a body; `variant` is its name in the
    /// operation's error enum (`NotFound`, `ClientError`, `Default`).
    pub errors: Vec<ResponseCase>,
    /// Name of the generated enum when success cases differ in type.
    pub success_enum: Option<String>,
}

impl Responses {
    /// Whether the successes are redirects: an operation documenting only
    /// redirects (an OAuth redirect endpoint, say) succeeds with its 3xx.
    pub fn redirects_succeed(&self) -> bool {
        self.success.iter().any(|case| case.status.starts_with('3'))
    }
}

/// Declared pagination (`x-pagination`).
#[derive(Debug, Clone)]
pub struct Pagination {
    /// Token or offset.
    pub style: PaginationStyle,
    /// Accessor path to the items array in the page type.
    pub items: Vec<FieldHop>,
    /// The item type.
    pub item_type: TypeRef,
    /// The page type.
    pub page_type: TypeRef,
    /// How it was found, for the generation report: `x-pagination (token)`,
    /// or the inference rule that matched (`cursor`, `offset`, `link`, …).
    pub rule: String,
}

/// One step through a struct field while reading a page.
#[derive(Debug, Clone)]
pub struct FieldHop {
    /// Rust field name.
    pub field: String,
    /// Whether that field is an `Option`.
    pub optional: bool,
}

/// Pagination styles.
#[derive(Debug, Clone)]
pub enum PaginationStyle {
    /// `request-token` query param ↔ `response-token` field.
    Token {
        /// The token parameter's Rust name.
        param: String,
        /// Accessor to the next token.
        next: Vec<FieldHop>,
    },
    /// `offset`/`limit` query params, optional `total` field.
    Offset {
        /// The offset parameter's Rust name.
        offset_param: String,
        /// Accessor to the total and its type, when declared.
        total: Option<(Vec<FieldHop>, TypeRef)>,
    },
    /// `page`/`per_page` query params: the page number counts up from the
    /// caller's (or 1), optional page-count field.
    PageNumber {
        /// The page-number parameter's Rust name.
        page_param: String,
        /// Accessor to the page count (the last page's number) and its type, when declared.
        last_page: Option<(Vec<FieldHop>, TypeRef)>,
    },
    /// Stripe style: while `has_more` is true, the next request's `param`
    /// is the `id` of the page's last item.
    LastItem {
        /// The cursor parameter's Rust name (`starting_after`).
        param: String,
        /// Accessor to the `has_more` flag.
        has_more: Vec<FieldHop>,
        /// The item's `id` field.
        id: FieldHop,
        /// The `id` field's type, `Option` included.
        id_type: TypeRef,
    },
    /// RFC 8288 `Link: <…>; rel="next"` response headers (GitHub style):
    /// the page is an array and the next request follows the link.
    Link,
}
