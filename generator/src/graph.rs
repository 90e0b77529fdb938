//! Graph algorithms the model and the emitter share.

/// Tarjan's strongly connected components (iterative): the component of each
/// node, numbered so that every edge between components goes to a lower number.
pub fn strongly_connected_components(edges: &[Vec<usize>]) -> (Vec<usize>, usize) {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut count = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        // (node, next edge to look at)
        let mut work = vec![(root, 0usize)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut edge)) = work.last_mut() {
            if let Some(&target) = edges[node].get(*edge) {
                *edge += 1;
                if index[target] == usize::MAX {
                    index[target] = next_index;
                    low[target] = next_index;
                    next_index += 1;
                    stack.push(target);
                    on_stack[target] = true;
                    work.push((target, 0));
                } else if on_stack[target] {
                    low[node] = low[node].min(index[target]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = count;
                    if member == node {
                        break;
                    }
                }
                count += 1;
            }
        }
    }
    (component, count)
}

/// How many nodes each of the `count` components of [`strongly_connected_components`] holds.
pub fn component_sizes(component: &[usize], count: usize) -> Vec<usize> {
    let mut size = vec![0usize; count];
    for &c in component {
        size[c] += 1;
    }
    size
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_come_targets_first() {
        // 0 -> 1 <-> 2 -> 3
        let edges = vec![vec![1], vec![2], vec![1, 3], vec![]];
        let (component, count) = strongly_connected_components(&edges);
        assert_eq!(count, 3);
        assert_eq!(component[1], component[2]);
        assert!(component[3] < component[1] && component[1] < component[0]);
    }
}
