//! API diffs grouped per Rust item, with signatures and semver verdicts.
//!
//! [`api_report`] takes the changes [`diff`](super::diff) finds and groups them
//! by the Rust item a user names: `Client::list_widgets` for an operation (its
//! parameters, body, responses, request builder and error enum together),
//! `apono::types::Widget` for a type (its fields, constructor and variants),
//! `Client` for client settings. Each group shows the old and new signatures
//! of what changed in the emitted code (from [`rust_surface`]), so it follows
//! the emitter's rules instead of restating them. Each change is
//! [`Level::Breaking`], [`Level::Compatible`] (new items) or [`Level::Note`]
//! (the Rust API is unchanged, the behaviour is not: see [`Change::is_note`]),
//! and each API, and each cargo feature its items are gated on, gets a
//! [`Verdict`]: `major: 3 breaking changes`, `minor: new items`, `patch: notes only`.
//!
//! The JSON form ([`DiffReport`] serialized with `serde_json`) is a stable
//! structure for tools: `{"version": 1, "verdict": Verdict, "apis": [ApiReport]}`
//! with the fields documented on each type here; enums are `snake_case` strings.

use std::collections::BTreeSet;
use std::fmt::Write;

use serde::Serialize;

use super::{diff, Change};
use crate::model::{Api, Operation};
use crate::rust_surface::SurfaceItem;

/// The version of the JSON structure; raised only when a field changes meaning or goes away.
pub const JSON_VERSION: u32 = 1;

/// How large a version bump a change set calls for, in semver terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    /// No change at all.
    None,
    /// Behaviour notes only: the Rust API is unchanged.
    Patch,
    /// New items, nothing breaks.
    Minor,
    /// Code written against the old API may stop compiling.
    Major,
}

/// A bump with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// The bump.
    pub bump: Bump,
    /// `major: 3 breaking changes`, `minor: new items`, `patch: notes only`,
    /// `none: no API changes`.
    pub reason: String,
}

/// What a change is for users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Old code may stop compiling.
    Breaking,
    /// New items; old code compiles and behaves as before.
    Compatible,
    /// The Rust API is unchanged; what the client sends or accepts changed.
    Note,
}

/// Which kind of Rust item a group is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// `Client` itself: base URL, security schemes, client-level parameters.
    Client,
    /// A `Client` method, with its request builder and error enum.
    Method,
    /// A named type, with its fields, constructor, setters and variants.
    Type,
}

/// One change inside a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Breaking, compatible or a note.
    pub level: Level,
    /// The change's kind (`parameter_added`, `field_retyped`, …).
    pub kind: super::ChangeKind,
    /// One sentence; a field's changes start with the field: `` `name`: … ``.
    pub text: String,
}

/// One signature of the emitted code that differs between the two sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignatureChange {
    /// Where a user names it, short: `Client::list_widgets`, `ListWidgets::limit`, `Widget::new`.
    pub path: String,
    /// The old signature; absent when the item is new.
    pub old: Option<String>,
    /// The new signature; absent when the item is gone.
    pub new: Option<String>,
}

/// The changes of one Rust item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemReport {
    /// As a user names it: `Client::list_widgets`, `apono::types::Widget`, `Client`.
    pub item: String,
    /// Client, method or type.
    pub kind: ItemKind,
    /// `GET /widgets` for a method.
    pub endpoint: Option<String>,
    /// The cargo features the item is gated on (old and new side), if any.
    pub features: Vec<String>,
    /// The largest level among the changes.
    pub level: Level,
    /// The changes, in report order.
    pub changes: Vec<Entry>,
    /// The signatures that differ.
    pub signatures: Vec<SignatureChange>,
}

/// The verdict for one cargo feature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeatureVerdict {
    /// The feature's name.
    pub feature: String,
    /// Its verdict over the items gated on it.
    pub verdict: Verdict,
}

/// The diff of one API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiReport {
    /// The API's name.
    pub api: String,
    /// Its verdict.
    pub verdict: Verdict,
    /// Per cargo feature, when the API's items are gated.
    pub features: Vec<FeatureVerdict>,
    /// The changed items.
    pub items: Vec<ItemReport>,
    /// Warnings only the base spec has (`warning at #/pointer: message`).
    pub base_warnings: Vec<String>,
    /// Why the API could not be diffed (a spec that fails to generate); then
    /// `items` is empty and the verdict is unknown (`none`).
    pub error: Option<String>,
}

/// The diff of several APIs (one crate).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffReport {
    /// [`JSON_VERSION`].
    pub version: u32,
    /// The git revision or label of the base.
    pub base: String,
    /// The crate's verdict: the largest bump of its APIs.
    pub verdict: Verdict,
    /// One report per API.
    pub apis: Vec<ApiReport>,
}

impl DiffReport {
    /// The report of `apis` against `base`.
    pub fn new(base: &str, apis: Vec<ApiReport>) -> Self {
        let verdict = crate_verdict(&apis);
        DiffReport { version: JSON_VERSION, base: base.to_string(), verdict, apis }
    }

    /// The APIs that could not be diffed.
    pub fn failed(&self) -> Vec<&str> {
        self.apis.iter().filter(|a| a.error.is_some()).map(|a| a.api.as_str()).collect()
    }

    /// The APIs with breaking changes.
    pub fn breaking(&self) -> Vec<&str> {
        self.apis.iter().filter(|a| a.verdict.bump == Bump::Major).map(|a| a.api.as_str()).collect()
    }
}

/// One side of a diff: the model and the public items of its emitted code.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    /// The model.
    pub api: &'a Api,
    /// [`rust_surface::items`](crate::rust_surface::items) of the emitted files.
    pub surface: &'a [SurfaceItem],
}

/// The report of `name` from `old` to `new`.
pub fn api_report(name: &str, old: Side<'_>, new: Side<'_>) -> ApiReport {
    let changes = diff(old.api, new.api);
    let mut items: Vec<ItemReport> = Vec::new();
    for change in &changes {
        let key = group_key(change, old, new);
        match items.iter_mut().find(|i| i.item == key.item) {
            Some(item) => item.changes.push(entry(change)),
            None => items.push(new_group(key, change, old, new)),
        }
    }
    for item in &mut items {
        item.level = item.changes.iter().map(|e| e.level).min().unwrap_or(Level::Note);
    }
    let verdict = verdict(items.iter().flat_map(|i| &i.changes));
    let features = feature_verdicts(&items);
    ApiReport { api: name.to_string(), verdict, features, items, base_warnings: Vec::new(), error: None }
}

/// The report of an API that could not be diffed.
pub fn failed_report(name: &str, error: &str) -> ApiReport {
    ApiReport {
        api: name.to_string(),
        verdict: Verdict { bump: Bump::None, reason: "unknown: cannot be diffed".into() },
        features: Vec::new(),
        items: Vec::new(),
        base_warnings: Vec::new(),
        error: Some(error.to_string()),
    }
}

/// The verdict over `entries`.
pub fn verdict<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Verdict {
    let (mut breaking, mut compatible, mut notes) = (0, 0, 0);
    for entry in entries {
        match entry.level {
            Level::Breaking => breaking += 1,
            Level::Compatible => compatible += 1,
            Level::Note => notes += 1,
        }
    }
    let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    if breaking > 0 {
        Verdict { bump: Bump::Major, reason: format!("major: {}", plural(breaking, "breaking change")) }
    } else if compatible > 0 {
        Verdict { bump: Bump::Minor, reason: format!("minor: new items ({})", plural(compatible, "compatible change")) }
    } else if notes > 0 {
        Verdict { bump: Bump::Patch, reason: format!("patch: notes only ({})", plural(notes, "note")) }
    } else {
        Verdict { bump: Bump::None, reason: "none: no API changes".into() }
    }
}

fn crate_verdict(apis: &[ApiReport]) -> Verdict {
    let worst = apis.iter().max_by_key(|a| a.verdict.bump);
    match worst {
        Some(api) if api.verdict.bump != Bump::None => {
            let bump = api.verdict.bump;
            let at: Vec<&str> = apis.iter().filter(|a| a.verdict.bump == bump).map(|a| a.api.as_str()).collect();
            Verdict { bump, reason: format!("{} ({})", api.verdict.reason, at.join(", ")) }
        }
        _ => Verdict { bump: Bump::None, reason: "none: no API changes".into() },
    }
}

fn feature_verdicts(items: &[ItemReport]) -> Vec<FeatureVerdict> {
    let features: BTreeSet<&str> = items.iter().flat_map(|i| i.features.iter().map(String::as_str)).collect();
    features
        .into_iter()
        .map(|feature| {
            let gated = items.iter().filter(|i| i.features.iter().any(|f| f == feature));
            FeatureVerdict { feature: feature.to_string(), verdict: verdict(gated.flat_map(|i| &i.changes)) }
        })
        .collect()
}

fn entry(change: &Change) -> Entry {
    let level = if change.is_breaking() {
        Level::Breaking
    } else if change.is_note() {
        Level::Note
    } else {
        Level::Compatible
    };
    let text = match change.subject.split_once('.') {
        Some((_, field)) => format!("`{field}`: {}", change.description),
        None => change.description.clone(),
    };
    Entry { level, kind: change.kind, text }
}

/// What a change is grouped under.
struct GroupKey<'a> {
    item: String,
    kind: ItemKind,
    ops: Option<(Option<&'a Operation>, Option<&'a Operation>)>,
    type_name: Option<&'a str>,
}

fn group_key<'a>(change: &'a Change, old: Side<'a>, new: Side<'a>) -> GroupKey<'a> {
    match super::area(change.kind) {
        0 => GroupKey { item: "Client".into(), kind: ItemKind::Client, ops: None, type_name: None },
        1 => {
            let find = |api: &'a Api| api.operations.iter().find(|op| op.operation_id == change.subject);
            let (old_op, new_op) = (find(old.api), find(new.api));
            let old_op = old_op.or_else(|| renamed_from(new_op, old, new));
            let method = new_op.or(old_op).map_or(change.subject.as_str(), |op| op.method_name.as_str());
            GroupKey {
                item: format!("Client::{method}"),
                kind: ItemKind::Method,
                ops: Some((old_op, new_op)),
                type_name: None,
            }
        }
        _ => {
            let name = super::subject_key(&change.subject).0;
            let path = type_path(new.surface, name).or_else(|| type_path(old.surface, name));
            GroupKey {
                item: path.unwrap_or_else(|| format!("types::{name}")),
                kind: ItemKind::Type,
                ops: None,
                type_name: Some(name),
            }
        }
    }
}

/// The old operation a new one was linked to as a rename (same endpoint).
fn renamed_from<'a>(new_op: Option<&'a Operation>, old: Side<'a>, new: Side<'a>) -> Option<&'a Operation> {
    let new_op = new_op?;
    super::renamed_operations(old.api, new.api)
        .into_iter()
        .find(|(_, n)| n.operation_id == new_op.operation_id)
        .map(|(o, _)| o)
}

fn new_group(key: GroupKey<'_>, change: &Change, old: Side<'_>, new: Side<'_>) -> ItemReport {
    let (signatures, features, endpoint) = match (key.ops, key.type_name) {
        (Some((old_op, new_op)), _) => {
            let endpoint = new_op.or(old_op).map(|op| format!("{} {}", op.http_method, op.path));
            let (old_items, new_items) = (method_items(old.surface, old_op), method_items(new.surface, new_op));
            (signature_changes(&old_items, &new_items), features_of(&old_items, &new_items), endpoint)
        }
        (None, Some(name)) => {
            let (old_items, new_items) = (type_items(old.surface, name), type_items(new.surface, name));
            (signature_changes(&old_items, &new_items), features_of(&old_items, &new_items), None)
        }
        (None, None) => (Vec::new(), Vec::new(), None),
    };
    ItemReport {
        item: key.item,
        kind: key.kind,
        endpoint,
        features,
        level: Level::Note,
        changes: vec![entry(change)],
        signatures,
    }
}

/// A surface item with the key that pairs it with its counterpart on the
/// other side (`method`, `builder::limit`, `::new`, or a trait impl's header).
struct Keyed<'a> {
    key: String,
    item: &'a SurfaceItem,
}

/// The method of `op`, its request builder and its error enum, with their members.
fn method_items<'a>(surface: &'a [SurfaceItem], op: Option<&Operation>) -> Vec<Keyed<'a>> {
    let Some(op) = op else { return Vec::new() };
    let method_suffix = format!("Client::{}", op.method_name);
    let Some(method) = surface.iter().find(|i| i.path.ends_with(&method_suffix)) else { return Vec::new() };
    let mut out = vec![Keyed { key: "method".into(), item: method }];
    for (role, name) in [("builder", &op.builder_name), ("error", &op.error_name)] {
        let owner = format!("{}::{name}", method.module);
        out.extend(members(surface, &owner).map(|(rest, item)| Keyed { key: format!("{role}{rest}"), item }));
    }
    out
}

/// A named type and its members (constructor, setters, trait impls).
fn type_items<'a>(surface: &'a [SurfaceItem], name: &str) -> Vec<Keyed<'a>> {
    let Some(path) = type_path(surface, name) else { return Vec::new() };
    members(surface, &path).map(|(rest, item)| Keyed { key: rest, item }).collect()
}

/// `owner` itself (key ``) and each item under it (key `::member`); trait
/// impls of `owner` keyed by their header.
fn members<'a>(surface: &'a [SurfaceItem], owner: &str) -> impl Iterator<Item = (String, &'a SurfaceItem)> {
    let prefix = format!("{owner}::");
    let owner = owner.to_string();
    surface.iter().filter_map(move |item| {
        if item.path == owner {
            let key = if item.signature.starts_with("impl ") { item.signature.clone() } else { String::new() };
            Some((key, item))
        } else {
            item.path.strip_prefix(&prefix).map(|rest| (format!("::{rest}"), item))
        }
    })
}

/// The surface path of the type called `name`: the item that defines it.
fn type_path(surface: &[SurfaceItem], name: &str) -> Option<String> {
    let defines = |signature: &str| {
        ["struct", "enum", "type"].iter().any(|kw| {
            let needle = format!("{kw} {name}");
            signature.split(&needle).skip(1).any(|rest| !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_'))
        })
    };
    let suffix = format!("::{name}");
    surface
        .iter()
        .find(|i| (i.path == name || i.path.ends_with(&suffix)) && defines(&i.signature))
        .map(|i| i.path.clone())
}

fn signature_changes(old: &[Keyed<'_>], new: &[Keyed<'_>]) -> Vec<SignatureChange> {
    let mut out = Vec::new();
    for o in old {
        match new.iter().find(|n| n.key == o.key) {
            Some(n) if n.item.signature == o.item.signature => {}
            Some(n) => out.push(SignatureChange {
                path: short_path(&n.item.path),
                old: Some(o.item.signature.clone()),
                new: Some(n.item.signature.clone()),
            }),
            None => out.push(SignatureChange {
                path: short_path(&o.item.path),
                old: Some(o.item.signature.clone()),
                new: None,
            }),
        }
    }
    for n in new.iter().filter(|n| !old.iter().any(|o| o.key == n.key)) {
        out.push(SignatureChange { path: short_path(&n.item.path), old: None, new: Some(n.item.signature.clone()) });
    }
    out
}

/// `apono::integrations::ListWidgets::limit` → `ListWidgets::limit`.
fn short_path(path: &str) -> String {
    let segments: Vec<&str> = path.rsplitn(3, "::").collect();
    match segments.as_slice() {
        [last, owner, _] | [last, owner] => format!("{owner}::{last}"),
        _ => path.to_string(),
    }
}

/// The features of the group's first item (the method or the type) on either side.
fn features_of(old: &[Keyed<'_>], new: &[Keyed<'_>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for keyed in [old.first(), new.first()].into_iter().flatten() {
        for feature in keyed.item.features() {
            if !out.contains(&feature) {
                out.push(feature);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note() -> Entry {
        Entry { level: Level::Note, kind: super::super::ChangeKind::FieldDeprecationChanged, text: String::new() }
    }

    #[test]
    fn verdicts_name_their_reason() {
        let breaking = Entry { level: Level::Breaking, ..note() };
        let compatible = Entry { level: Level::Compatible, ..note() };
        assert_eq!(verdict([&breaking, &breaking, &compatible]).reason, "major: 2 breaking changes");
        assert_eq!(verdict([&compatible, &note()]).reason, "minor: new items (1 compatible change)");
        assert_eq!(verdict([&note()]).reason, "patch: notes only (1 note)");
        assert_eq!(verdict([]).bump, Bump::None);
    }

    #[test]
    fn short_paths_keep_owner_and_name() {
        assert_eq!(short_path("api::pets::ListPets::limit"), "ListPets::limit");
        assert_eq!(short_path("Client::x"), "Client::x");
        assert_eq!(short_path("Pet"), "Pet");
    }
}

/// The three ways a [`DiffReport`] is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Readable text for a terminal.
    Text,
    /// A pull-request comment: the verdict, then a collapsible section per API.
    Markdown,
    /// The [`DiffReport`] structure as JSON, for tools.
    Json,
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, String> {
        match name {
            "text" => Ok(Format::Text),
            "markdown" => Ok(Format::Markdown),
            "json" => Ok(Format::Json),
            other => Err(format!("unknown format {other:?} (expected text, markdown or json)")),
        }
    }
}

impl DiffReport {
    /// The report in `format`.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Text => self.to_text(),
            Format::Markdown => self.to_markdown(),
            Format::Json => {
                // Plain data (strings, numbers, enums): serializing cannot fail.
                let mut json = serde_json::to_string_pretty(self).unwrap_or_default();
                json.push('\n');
                json
            }
        }
    }

    /// `API: verdict`, then per item its changes and signatures, indented.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for api in &self.apis {
            let _ = writeln!(out, "{}: {}", api.api, api.verdict.reason);
            for warning in &api.base_warnings {
                let _ = writeln!(out, "  base spec {warning}");
            }
            if let Some(error) = &api.error {
                let _ = writeln!(out, "  cannot be diffed: {error}");
            }
            for item in &api.items {
                let _ = writeln!(out, "  {} {}{}", level_word(item.level), item.item, item_context(item));
                for change in &item.changes {
                    let _ = writeln!(out, "    - {}: {}", level_word(change.level), change.text);
                }
                for signature in &item.signatures {
                    if let Some(old) = &signature.old {
                        let _ = writeln!(out, "    old {old}");
                    }
                    if let Some(new) = &signature.new {
                        let _ = writeln!(out, "    new {new}");
                    }
                }
            }
            for feature in &api.features {
                let _ = writeln!(out, "  feature `{}`: {}", feature.feature, feature.verdict.reason);
            }
        }
        let _ = writeln!(out, "crate: {}", self.verdict.reason);
        out
    }

    /// A pull-request comment.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "### API diff since `{}`: {}\n", self.base, self.verdict.reason);
        for api in &self.apis {
            let _ = writeln!(out, "<details><summary><b>{}</b>: {}</summary>\n", api.api, api.verdict.reason);
            if let Some(error) = &api.error {
                let _ = writeln!(out, "Cannot be diffed: `{error}`\n");
            }
            for warning in &api.base_warnings {
                let _ = writeln!(out, "- base spec {warning}");
            }
            for item in &api.items {
                let _ = writeln!(out, "#### {} `{}`{}\n", level_word(item.level), item.item, item_context(item));
                for change in &item.changes {
                    let _ = writeln!(out, "- **{}**: {}", level_word(change.level), change.text);
                }
                if !item.signatures.is_empty() {
                    let _ = writeln!(out, "\n```diff");
                    for signature in &item.signatures {
                        if let Some(old) = &signature.old {
                            let _ = writeln!(out, "- {old}");
                        }
                        if let Some(new) = &signature.new {
                            let _ = writeln!(out, "+ {new}");
                        }
                    }
                    let _ = writeln!(out, "```");
                }
                out.push('\n');
            }
            if !api.features.is_empty() {
                let _ = writeln!(out, "| cargo feature | verdict |\n|---|---|");
                for feature in &api.features {
                    let _ = writeln!(out, "| `{}` | {} |", feature.feature, feature.verdict.reason);
                }
                out.push('\n');
            }
            let _ = writeln!(out, "</details>\n");
        }
        out
    }
}

fn level_word(level: Level) -> &'static str {
    match level {
        Level::Breaking => "breaking",
        Level::Compatible => "compatible",
        Level::Note => "note",
    }
}

/// ` (GET /widgets) [feature-a, feature-b]`, the parts an item has.
fn item_context(item: &ItemReport) -> String {
    let mut out = String::new();
    if let Some(endpoint) = &item.endpoint {
        let _ = write!(out, " ({endpoint})");
    }
    if !item.features.is_empty() {
        let _ = write!(out, " [{}]", item.features.join(", "));
    }
    out
}
