//! Whether a crate's types nest deeply enough to need `#![recursion_limit]`.
//!
//! Proving an auto trait (`Send`, `RefUnwindSafe`: rustdoc lists them for
//! every type, and users who require them ask the same) walks a type's fields
//! down to what they contain, one obligation deeper per wrapper (`Option`,
//! `Vec`, its buffer, `Box`…); past 128 levels rustc stops with E0275. A
//! cycle ends a walk only when it comes back to a type already on it, so
//! mutually recursive schemas can make walks as long as all of them together.
//! The bound used here: the longest path through the graph of strongly
//! connected components, each counted as large as it is.

use indexmap::IndexMap;

use crate::model::Api;

/// Type hops beyond which the default limit (128) may be reached: each hop
/// costs about five levels (`Option<Vec<T>>`, the vector's buffer, the
/// struct). Measured: a cycle of 40 object schemas linked by
/// `Option<Vec<_>>` fails `cargo doc` with E0275 (at its 26th type); one of
/// 20 passes.
pub const MAX_DEFAULT_HOPS: usize = 20;

/// The `recursion_limit` a crate whose types nest `hops` deep needs, if
/// any: eight levels per hop (a margin over the five measured), a power of
/// two, at least twice the default.
pub fn recursion_limit(hops: usize) -> Option<usize> {
    (hops > MAX_DEFAULT_HOPS).then(|| hops.saturating_mul(8).next_power_of_two().max(256))
}

/// An upper bound on how many named types one auto-trait walk may pass through.
pub fn nesting_bound(api: &Api) -> usize {
    let names: IndexMap<&str, usize> = api.types.keys().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let edges: Vec<Vec<usize>> = api
        .types
        .values()
        .map(|def| {
            let mut mentioned = Vec::new();
            def.kind.type_refs().into_iter().for_each(|ty| ty.names(&mut mentioned));
            let mut out: Vec<usize> = mentioned.into_iter().filter_map(|name| names.get(name).copied()).collect();
            out.sort_unstable();
            out.dedup();
            out
        })
        .collect();
    let (component, count) = crate::graph::strongly_connected_components(&edges);
    let size = crate::graph::component_sizes(&component, count);
    let mut dag: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (from, targets) in edges.iter().enumerate() {
        for &to in targets {
            if component[from] != component[to] {
                dag[component[from]].push(component[to]);
            }
        }
    }
    // Tarjan numbers components in reverse topological order: targets come first.
    let mut longest = vec![0usize; count];
    for c in 0..count {
        let below = dag[c].iter().map(|&d| longest[d]).max().unwrap_or(0);
        longest[c] = size[c] + below;
    }
    longest.into_iter().max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bound_counts_cycles_by_size() {
        let spec = |n: usize| {
            let mut text =
                String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n");
            for i in 0..n {
                let next = (i + 1) % n;
                text.push_str(&format!(
                    "    L{i}:\n      type: object\n      properties:\n        p{i}: {{type: string}}\n        c: {{type: array, items: {{$ref: '#/components/schemas/L{next}'}}}}\n"
                ));
            }
            text
        };
        let options =
            crate::Options { layout: crate::Layout::Module { name: "t".into() }, preamble: String::new(), mock: false };
        for n in [1, 5, 30] {
            let output = crate::generate_str(&spec(n), "t.yaml", &options).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(nesting_bound(&output.api), n);
        }
        assert_eq!(recursion_limit(20), None);
        assert_eq!(recursion_limit(30), Some(256));
        assert_eq!(recursion_limit(120), Some(1024));
    }
}
