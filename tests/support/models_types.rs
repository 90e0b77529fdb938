// @generated from tests/support/models.yaml by tests/tests/model_types.rs (UPDATE_MODELS=1)

//! Models of the Models: request and response bodies, enums and shared schemas.
#![allow(
    clippy::doc_lazy_continuation,
    clippy::doc_overindented_list_items,
    clippy::enum_variant_names
)]

/// `Status` (from `#/components/schemas/Status`).
///
/// Open: a value the server sends that is not listed here decodes as `Unknown` (holding an [`UnknownValue`](crate::runtime::UnknownValue)) instead of failing, and is sent back unchanged. Match with a `_` arm.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Status {
    /// `active`
    Active,
    /// `retired`
    Retired,
    /// A value this client does not know yet, kept as sent. Only decoding (or `From<&str>` and `FromStr`, which give every known value its own variant) creates it, so it never equals a known variant; [`as_str`](Self::as_str) reads it.
    Unknown(crate::runtime::UnknownValue),
}

impl Status {
    /// The values this client knows, in spec order.
    pub const KNOWN: &'static [&'static str] = &["active", "retired"];

    /// The value as sent on the wire.
    #[inline]
    pub fn as_str(&self) -> &str {
        match self {
            Self::Active => "active",
            Self::Retired => "retired",
            Self::Unknown(value) => value.as_str(),
        }
    }
}

impl ::std::fmt::Display for Status {
    #[inline]
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl ::std::convert::From<&str> for Status {
    #[inline]
    fn from(value: &str) -> Self {
        match value {
            "active" => Self::Active,
            "retired" => Self::Retired,
            other => Self::Unknown(crate::runtime::__private::unknown_value(other)),
        }
    }
}

impl ::std::str::FromStr for Status {
    type Err = ::std::convert::Infallible;

    #[inline]
    fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
        ::std::result::Result::Ok(Self::from(value))
    }
}

impl ::serde::Serialize for Status {
    #[inline]
    fn serialize<S: ::serde::Serializer>(
        &self,
        serializer: S,
    ) -> ::std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> ::serde::Deserialize<'de> for Status {
    #[inline]
    fn deserialize<D: ::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> ::std::result::Result<Self, D::Error> {
        let value = <::std::borrow::Cow<
            'de,
            str,
        > as ::serde::Deserialize>::deserialize(deserializer)?;
        ::std::result::Result::Ok(Self::from(value.as_ref()))
    }
}

/// `Cat` (from `#/components/schemas/Cat`).
#[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
#[non_exhaustive]
pub struct Cat {
    /// `petType`
    #[serde(rename = "petType")]
    pub pet_type: ::std::string::String,
    /// `lives`
    pub lives: i32,
}

impl Cat {
    /// A new value from the required fields; optional fields start unset.
    #[inline]
    pub fn new(
        pet_type: impl ::std::convert::Into<::std::string::String>,
        lives: impl ::std::convert::Into<i32>,
    ) -> Self {
        Self {
            pet_type: pet_type.into(),
            lives: lives.into(),
        }
    }
}

/// `Dog` (from `#/components/schemas/Dog`).
#[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
#[non_exhaustive]
pub struct Dog {
    /// `petType`
    #[serde(rename = "petType")]
    pub pet_type: ::std::string::String,
    /// `bark`
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub bark: ::std::option::Option<::std::string::String>,
}

impl Dog {
    /// A new value from the required fields; optional fields start unset.
    #[inline]
    pub fn new(pet_type: impl ::std::convert::Into<::std::string::String>) -> Self {
        Self {
            pet_type: pet_type.into(),
            bark: ::std::option::Option::None,
        }
    }

    /// Sets `bark`.
    #[inline]
    pub fn bark(
        mut self,
        value: impl ::std::convert::Into<::std::string::String>,
    ) -> Self {
        self.bark = ::std::option::Option::Some(value.into());
        self
    }
}

/// `Pet` (from `#/components/schemas/Pet`).
///
/// A value whose `petType` names none of the variants decodes as `Other`, holding the JSON as sent, instead of failing.
#[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
#[serde(untagged)]
pub enum Pet {
    /// Selected by `cat`.
    Cat(::std::boxed::Box<Cat>),
    /// Selected by `dog`.
    Dog(::std::boxed::Box<Dog>),
    /// A value matching none of the documented shapes.
    Other(::serde_json::Value),
}

impl<'de> ::serde::Deserialize<'de> for Pet {
    #[inline]
    fn deserialize<D: ::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> ::std::result::Result<Self, D::Error> {
        let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(
            deserializer,
        )?;
        let tag = value
            .get("petType")
            .and_then(::serde_json::Value::as_str)
            .map(::std::borrow::ToOwned::to_owned);
        match tag.as_deref() {
            ::std::option::Option::Some("cat") => {
                ::serde_json::from_value(value)
                    .map(|value| Self::Cat(::std::boxed::Box::new(value)))
                    .map_err(::serde::de::Error::custom)
            }
            ::std::option::Option::Some("dog") => {
                ::serde_json::from_value(value)
                    .map(|value| Self::Dog(::std::boxed::Box::new(value)))
                    .map_err(::serde::de::Error::custom)
            }
            _ => ::std::result::Result::Ok(Self::Other(value)),
        }
    }
}

impl ::std::convert::From<Cat> for Pet {
    /// The `Cat` variant.
    #[inline]
    fn from(value: Cat) -> Self {
        Self::Cat(::std::boxed::Box::new(value))
    }
}

impl ::std::convert::From<Dog> for Pet {
    /// The `Dog` variant.
    #[inline]
    fn from(value: Dog) -> Self {
        Self::Dog(::std::boxed::Box::new(value))
    }
}

/// `Name` (from `#/components/schemas/Name`).
pub type Name = ::std::string::String;

/// `IdOrName` (from `#/components/schemas/IdOrName`).
///
/// A value matching none of the variants decodes as `Other`, holding the JSON as sent, instead of failing.
#[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
#[serde(untagged)]
pub enum IdOrName {
    /// The `Integer` shape.
    Integer(i64),
    /// The `String` shape.
    String(::std::string::String),
    /// The `Name` shape.
    Name(::std::boxed::Box<Name>),
    /// A value matching none of the documented shapes.
    Other(::serde_json::Value),
}

impl ::std::convert::From<i64> for IdOrName {
    /// The `Integer` variant.
    #[inline]
    fn from(value: i64) -> Self {
        Self::Integer(value)
    }
}

/// `Order` (from `#/components/schemas/Order`).
#[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
#[non_exhaustive]
pub struct Order {
    /// `account`
    pub account: ::std::string::String,
    /// `user`
    pub user: ::std::string::String,
    /// `item`
    pub item: ::std::string::String,
    /// `reason`
    pub reason: ::std::string::String,
    /// `status`
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub status: ::std::option::Option<Status>,
    /// `note`
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub note: ::std::option::Option<::std::string::String>,
}

impl Order {
    /// A builder with every field unset: set each required field, then
    /// `build()` (which names the first required field left unset).
    #[inline]
    pub fn builder() -> OrderBuilder {
        ::std::default::Default::default()
    }

    /// Sets `status`.
    #[inline]
    pub fn status(mut self, value: impl ::std::convert::Into<Status>) -> Self {
        self.status = ::std::option::Option::Some(value.into());
        self
    }

    /// Sets `note`.
    #[inline]
    pub fn note(
        mut self,
        value: impl ::std::convert::Into<::std::string::String>,
    ) -> Self {
        self.note = ::std::option::Option::Some(value.into());
        self
    }
}

/// Builds a [`Order`] ([`Order::builder`]): a setter per field, then [`build`](Self::build).
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct OrderBuilder {
    account: ::std::option::Option<::std::string::String>,
    user: ::std::option::Option<::std::string::String>,
    item: ::std::option::Option<::std::string::String>,
    reason: ::std::option::Option<::std::string::String>,
    status: ::std::option::Option<Status>,
    note: ::std::option::Option<::std::string::String>,
}

impl OrderBuilder {
    /// Sets `account`.
    #[inline]
    pub fn account(
        mut self,
        value: impl ::std::convert::Into<::std::string::String>,
    ) -> Self {
        self.account = ::std::option::Option::Some(value.into());
        self
    }

    /// Sets `user`.
    #[inline]
    pub fn user(
        mut self,
        value: impl ::std::convert::Into<::std::string::String>,
    ) -> Self {
        self.user = ::std::option::Option::Some(value.into());
        self
    }

    /// Sets `item`.
    #[inline]
    pub fn item(
        mut self,
        value: impl ::std::convert::Into<::std::string::String>,
    ) -> Self {
        self.item = ::std::option::Option::Some(value.into());
        self
    }

    /// Sets `reason`.
    #[inline]
    pub fn reason(
        mut self,
        value: impl ::std::convert::Into<::std::string::String>,
    ) -> Self {
        self.reason = ::std::option::Option::Some(value.into());
        self
    }

    /// Sets `status`.
    #[inline]
    pub fn status(mut self, value: impl ::std::convert::Into<Status>) -> Self {
        self.status = ::std::option::Option::Some(value.into());
        self
    }

    /// Sets `note`.
    #[inline]
    pub fn note(
        mut self,
        value: impl ::std::convert::Into<::std::string::String>,
    ) -> Self {
        self.note = ::std::option::Option::Some(value.into());
        self
    }

    /// The value, or the first required field (in the API's order) left unset.
    #[inline]
    pub fn build(self) -> ::std::result::Result<Order, crate::runtime::MissingField> {
        ::std::result::Result::Ok(Order {
            account: self
                .account
                .ok_or(crate::runtime::MissingField::new("Order", "account"))?,
            user: self.user.ok_or(crate::runtime::MissingField::new("Order", "user"))?,
            item: self.item.ok_or(crate::runtime::MissingField::new("Order", "item"))?,
            reason: self
                .reason
                .ok_or(crate::runtime::MissingField::new("Order", "reason"))?,
            status: self.status,
            note: self.note,
        })
    }
}
