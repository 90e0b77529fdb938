//! Breaks recursive cycles with `Box`: a struct that contains itself directly
//! (not through a `Vec` or a map, which already allocate) would have infinite size.

use indexmap::{IndexMap, IndexSet};

use super::{TypeDef, TypeKind, TypeRef};

/// Boxes every direct field or variant whose type lies on a cycle back to its owner.
pub fn box_cycles(types: &mut IndexMap<String, TypeDef>) {
    let edges: IndexMap<String, Vec<String>> =
        types.iter().map(|(name, def)| (name.clone(), direct_edges(&def.kind))).collect();
    let components = strongly_connected(&edges);
    for (name, def) in types.iter_mut() {
        let Some(&component) = components.get(name) else { continue };
        let on_cycle = |target: &str| components.get(target) == Some(&component);
        match &mut def.kind {
            TypeKind::Struct { fields, .. } => {
                for field in fields {
                    box_if(&mut field.ty, &on_cycle);
                }
            }
            TypeKind::Union { variants, .. } | TypeKind::Responses { variants } => {
                for variant in variants {
                    box_if(&mut variant.ty, &on_cycle);
                }
            }
            TypeKind::Alias(target) => box_if(target, &on_cycle),
            TypeKind::Enum { .. } => {}
        }
    }
}

fn box_if(ty: &mut TypeRef, on_cycle: &impl Fn(&str) -> bool) {
    match ty {
        TypeRef::Named(name) if on_cycle(name) => *ty = TypeRef::Boxed(Box::new(ty.clone())),
        TypeRef::Option(inner) => box_if(inner, on_cycle),
        _ => {}
    }
}

fn direct_edges(kind: &TypeKind) -> Vec<String> {
    let direct = |ty: &TypeRef| ty.direct_name().map(str::to_string);
    match kind {
        TypeKind::Struct { fields, .. } => fields.iter().filter_map(|f| direct(&f.ty)).collect(),
        TypeKind::Union { variants, .. } | TypeKind::Responses { variants } => {
            variants.iter().filter_map(|v| direct(&v.ty)).collect()
        }
        TypeKind::Alias(target) => direct(target).into_iter().collect(),
        TypeKind::Enum { .. } => Vec::new(),
    }
}

/// Tarjan's algorithm, iterative; returns a component id for each node on a
/// cycle (self-loops included). Nodes not on any cycle are absent.
fn strongly_connected(edges: &IndexMap<String, Vec<String>>) -> IndexMap<String, usize> {
    let n = edges.len();
    let index_of: IndexMap<&str, usize> = edges.keys().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
    let adjacency: Vec<Vec<usize>> = edges
        .values()
        .map(|targets| targets.iter().filter_map(|t| index_of.get(t.as_str()).copied()).collect())
        .collect();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut result = IndexMap::new();
    let mut component_id = 0;

    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some((node, edge)) = work.pop() {
            if edge == 0 {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(&target) = adjacency[node].get(edge) {
                work.push((node, edge + 1));
                if index[target] == usize::MAX {
                    work.push((target, 0));
                } else if on_stack[target] {
                    low[node] = low[node].min(index[target]);
                }
                continue;
            }
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                let mut members = IndexSet::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    members.insert(member);
                    if member == node {
                        break;
                    }
                }
                let self_loop = adjacency[node].contains(&node);
                if members.len() > 1 || self_loop {
                    for member in members {
                        result.insert(edges.get_index(member).map(|(k, _)| k.clone()).unwrap_or_default(), component_id);
                    }
                    component_id += 1;
                }
            }
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(pairs: &[(&str, &[&str])]) -> IndexMap<String, Vec<String>> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect())).collect()
    }

    #[test]
    fn finds_cycles_and_self_loops() {
        let edges = graph(&[("A", &["B"]), ("B", &["A"]), ("C", &["C"]), ("D", &["A"])]);
        let components = strongly_connected(&edges);
        assert_eq!(components.get("A"), components.get("B"));
        assert!(components.contains_key("C"));
        assert!(!components.contains_key("D"));
    }
}
