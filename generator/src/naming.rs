//! Rust names for spec names: case conversion, keywords, uniqueness.

use heck::{ToSnakeCase, ToUpperCamelCase};
use indexmap::IndexSet;

/// Words that cannot be plain identifiers (strict and reserved keywords, 2021 edition).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self",
    "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become",
    "box", "do", "final", "gen", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot even be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Replaces characters that cannot appear in identifiers by word breaks, so
/// `+1`, `application/json` and `x-rate.limit` still case-convert sensibly.
fn words(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let name = soften_acronyms(name);
    for c in name.chars() {
        match c {
            '+' => out.push_str(" plus "),
            c if c.is_alphanumeric() => out.push(c),
            _ => out.push(' '),
        }
    }
    out
}

/// `APIs` → `Apis`, `OAuth` → `Oauth`: case converters would split these
/// into `ap_is` and `o_auth`.
fn soften_acronyms(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len());
    let mut i = 0;
    while i < chars.len() {
        // An upper-case run of 2+ letters followed by a lone `s` that ends the word.
        let run = chars[i..].iter().take_while(|c| c.is_ascii_uppercase()).count();
        let ends_word = |at: usize| at >= chars.len() || !chars[at].is_ascii_alphanumeric();
        if run >= 2 && chars.get(i + run) == Some(&'s') && ends_word(i + run + 1) {
            out.push(chars[i]);
            out.extend(chars[i + 1..i + run].iter().map(|c| c.to_ascii_lowercase()));
            out.push('s');
            i += run + 1;
            continue;
        }
        // A single capital followed by a capitalized word: `OAuth`, `OData`.
        if run == 2
            && chars.get(i + 2).is_some_and(|c| c.is_ascii_lowercase())
            && (i == 0 || !chars[i - 1].is_ascii_alphabetic())
        {
            out.push(chars[i]);
            out.push(chars[i + 1].to_ascii_lowercase());
            i += 2;
            continue;
        }
        if run > 0 {
            out.extend(&chars[i..i + run]);
            i += run;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

fn ascii_only(name: String) -> String {
    name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect()
}

/// `snake_case` identifier text, never empty and never starting with a digit.
/// Keywords come back as they are; [`is_keyword`] tells the emitter to use `r#`.
pub fn snake(name: &str) -> String {
    let mut out = ascii_only(words(name).to_snake_case());
    if out.is_empty() {
        out.push_str("value");
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    if NOT_RAW.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

/// `UpperCamelCase` type or variant name, never empty, never starting with a digit.
pub fn camel(name: &str) -> String {
    let mut out = ascii_only(words(name).to_upper_camel_case());
    if out.is_empty() {
        out.push_str("Value");
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    if out == "Self" {
        out.push('_');
    }
    out
}

/// Method names of std traits: a setter with one of these names would trip
/// clippy's `should_implement_trait`, so it becomes `with_<name>`.
const TRAIT_METHODS: &[&str] = &[
    "add",
    "as_mut",
    "as_ref",
    "bitand",
    "bitor",
    "bitxor",
    "borrow",
    "borrow_mut",
    "clone",
    "cmp",
    "default",
    "deref",
    "deref_mut",
    "div",
    "drop",
    "eq",
    "from_iter",
    "from_str",
    "hash",
    "index",
    "index_mut",
    "into_iter",
    "mul",
    "neg",
    "next",
    "not",
    "partial_cmp",
    "rem",
    "shl",
    "shr",
    "sub",
];

/// The builder setter for a field or parameter called `name`.
pub fn setter_name(name: &str) -> String {
    if TRAIT_METHODS.contains(&name) {
        format!("with_{name}")
    } else {
        name.to_string()
    }
}

/// Methods every request builder has; a parameter of that name gets a `with_` setter.
const BUILDER_METHODS: &[&str] = &[
    "timeout",
    "attempt_timeout",
    "retry",
    "header",
    "call_options",
    "send",
    "send_with_response",
    "send_streaming",
    "send_events",
    "pages",
    "items",
];

/// The request-builder setter for a parameter called `name`: as
/// [`setter_name`], and `with_` before the builder's own methods.
pub fn builder_setter_name(name: &str) -> String {
    if BUILDER_METHODS.contains(&name) {
        format!("with_{name}")
    } else {
        setter_name(name)
    }
}

/// Whether `ident` must be written as a raw identifier.
pub fn is_keyword(ident: &str) -> bool {
    KEYWORDS.contains(&ident)
}

/// `ConsumerOrgApiVersion` → `[Consumer, Org, Api, Version]` (digits stay with their word).
pub fn camel_words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    for (index, c) in name.char_indices().skip(1) {
        if c.is_ascii_uppercase() {
            words.push(&name[start..index]);
            start = index;
        }
    }
    words.push(&name[start..]);
    words
}

/// The name of a type found under `parent` as `child` (both `UpperCamelCase`),
/// without stutter: the child's leading words that repeat the parent's trailing
/// ones are written once (`Api` + `ApiType` → `ApiType`, `PermissionSet` +
/// `SetItems` → `PermissionSetItems`). A child that is nothing but the parent's
/// tail (`ApplicationType` + `Type`) keeps both, since the result would be the
/// parent's own name.
pub fn join_name(parent: &str, child: &str) -> String {
    let parent_words = camel_words(parent);
    let child_words = camel_words(child);
    let overlap = (1..=parent_words.len().min(child_words.len()))
        .rev()
        .find(|&n| parent_words[parent_words.len() - n..] == child_words[..n])
        .unwrap_or(0);
    if overlap == 0 || overlap == child_words.len() {
        return format!("{parent}{child}");
    }
    let kept = parent_words[..parent_words.len() - overlap].concat();
    format!("{kept}{child}")
}

/// How many generated names read badly, for the corpus names report.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct NameCounts {
    /// `Variant3`, or a name that is another one plus a number (`Type2` beside `Type`).
    pub numbered: usize,
    /// Longer than [`LONG_NAME`] characters.
    pub long: usize,
    /// A word written twice in a row (`ApiApiType`).
    pub stutter: usize,
}

/// Names longer than this are counted as long.
pub const LONG_NAME: usize = 50;

impl NameCounts {
    /// Counts over `names` (types and union variants alike).
    pub fn of<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let names: Vec<&str> = names.into_iter().collect();
        let set: IndexSet<&str> = names.iter().copied().collect();
        let mut counts = NameCounts::default();
        for name in &names {
            let stem = name.trim_end_matches(|c: char| c.is_ascii_digit());
            let numbered_variant = stem.ends_with("Variant") && stem.len() < name.len();
            if numbered_variant || (stem.len() < name.len() && !stem.is_empty() && set.contains(stem)) {
                counts.numbered += 1;
            }
            if name.len() > LONG_NAME {
                counts.long += 1;
            }
            if camel_words(name).windows(2).any(|pair| pair[0] == pair[1]) {
                counts.stutter += 1;
            }
        }
        counts
    }
}

/// Hands out names unique within one scope, in a deterministic order:
/// the first claimant keeps `Name`, later ones get `Name2`, `Name3`, ….
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: IndexSet<String>,
}

impl Namespace {
    /// A namespace where `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Namespace { taken: reserved.iter().map(|s| s.to_string()).collect() }
    }

    /// Whether `name` is already claimed.
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Claims `wanted`, or the first free numbered variant of it.
    pub fn claim(&mut self, wanted: &str) -> String {
        if self.taken.insert(wanted.to_string()) {
            return wanted.to_string();
        }
        // `Self_` (an escaped keyword) numbers as `Self2`: `Self_2` is not camel case.
        let stem = match wanted.trim_end_matches('_') {
            "" => wanted,
            stem => stem,
        };
        (2..)
            .map(|n| format!("{stem}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or_else(|| wanted.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_names() {
        assert_eq!(snake("listIntegrationsV4"), "list_integrations_v4");
        assert_eq!(snake("X-IBM-Consumer-Context"), "x_ibm_consumer_context");
        assert_eq!(snake("page[size]"), "page_size");
        assert_eq!(snake("2fa"), "_2fa");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("$"), "value");
        assert_eq!(snake("type"), "type");
        assert_eq!(snake("APIs"), "apis");
        assert_eq!(snake("OAuth"), "oauth");
        assert_eq!(snake("getIDs"), "get_ids");
        assert_eq!(snake("HTTPServer"), "http_server");
        assert!(is_keyword(&snake("type")));
    }

    #[test]
    fn camel_case_names() {
        assert_eq!(camel("access_request"), "AccessRequest");
        assert_eq!(camel("+1"), "Plus1");
        assert_eq!(camel("-1"), "V1");
        assert_eq!(camel("application/json"), "ApplicationJson");
        assert_eq!(camel(""), "Value");
        assert_eq!(camel("Self"), "Self_");
        assert_eq!(camel("déjà vu"), "DjVu");
    }

    #[test]
    fn namespace_numbers_collisions() {
        let mut names = Namespace::with_reserved(&["Client"]);
        assert_eq!(names.claim("Client"), "Client2");
        assert_eq!(names.claim("Pet"), "Pet");
        assert_eq!(names.claim("Pet"), "Pet2");
        assert_eq!(names.claim("Pet"), "Pet3");
        assert_eq!(names.claim("Self_"), "Self_");
        assert_eq!(names.claim("Self_"), "Self2");
    }

    #[test]
    fn child_names_do_not_stutter() {
        assert_eq!(join_name("Api", "ApiType"), "ApiType");
        assert_eq!(join_name("Permission", "PermissionType"), "PermissionType");
        assert_eq!(join_name("UserPermission", "PermissionType"), "UserPermissionType");
        assert_eq!(join_name("PermissionSet", "SetItems"), "PermissionSetItems");
        assert_eq!(join_name("Pet", "Owner"), "PetOwner");
        // The child is the parent's tail: joining would give the parent's own name.
        assert_eq!(join_name("ApplicationType", "Type"), "ApplicationTypeType");
        assert_eq!(join_name("Api", "Api"), "ApiApi");
        assert_eq!(camel_words("PostBResponseV201"), ["Post", "B", "Response", "V201"]);
    }

    #[test]
    fn name_counts_find_numbers_length_and_stutter() {
        let counts =
            NameCounts::of(["PetVariant2", "Type", "Type2", "Oauth2", "ApiApiType", &format!("L{}", "o".repeat(55))]);
        assert_eq!(counts, NameCounts { numbered: 2, long: 1, stutter: 1 });
    }
}
