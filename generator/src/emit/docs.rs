//! Spec prose → rustdoc that builds without warnings.
//!
//! Spec descriptions are CommonMark written for HTML renderers; rustdoc reads
//! them as Rust docs, where `[x]` is an intra-doc link, `<token>` an HTML tag,
//! a bare URL a lint and an indented or fenced block a doctest to compile.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "…"]` attributes for `text`, one per line (rendered as `///`).
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines: Vec<String> = sanitize(text).lines().map(|line| format!(" {line}").trim_end().to_string()).collect();
    quote! { #( #[doc = #lines] )* }
}

/// Docs from optional parts, separated by blank lines; `fallback` when all are empty.
pub fn doc_from_parts(parts: &[Option<&str>], fallback: &str) -> TokenStream {
    let joined: Vec<&str> = parts.iter().flatten().map(|p| p.trim()).filter(|p| !p.is_empty()).collect();
    if joined.is_empty() {
        doc_attrs(fallback)
    } else {
        doc_attrs(&joined.join("\n\n"))
    }
}

/// Makes spec prose safe for rustdoc (see the module docs).
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut in_fence = false;
    for raw_line in text.replace("\r\n", "\n").lines() {
        let trimmed = raw_line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            // Every fenced block becomes a `text` block: never a doctest.
            out.push_str(if in_fence { "```" } else { "```text" });
            out.push('\n');
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push_str(raw_line);
        } else {
            // Indentation would make an indented code block (a doctest): drop it.
            out.push_str(&escape_inline(trimmed));
        }
        out.push('\n');
    }
    if in_fence {
        out.push_str("```\n");
    }
    out.trim_end().to_string()
}

/// Escapes brackets, angle brackets and bare URLs outside inline code.
fn escape_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            rest = &rest[1..];
            continue;
        }
        if !in_code {
            if let Some(url_len) = url_at(rest) {
                let url = &rest[..url_len];
                out.push('<');
                out.push_str(url);
                out.push('>');
                rest = &rest[url_len..];
                continue;
            }
            match c {
                '[' | ']' => {
                    out.push('\\');
                    out.push(c);
                }
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                _ => out.push(c),
            }
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    if in_code {
        // An unclosed backtick would swallow the rest of the doc: close it.
        out.push('`');
    }
    out
}

/// The length of an `http(s)://` URL starting at the beginning of `text`.
fn url_at(text: &str) -> Option<usize> {
    if !(text.starts_with("http://") || text.starts_with("https://")) {
        return None;
    }
    let end = text
        .char_indices()
        .find(|(_, c)| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | ')' | ']' | '[' | '('))
        .map(|(i, _)| i)
        .unwrap_or(text.len());
    let url = text[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', '\'']);
    Some(url.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_and_html_are_escaped() {
        assert_eq!(sanitize("Use [name] or <token>"), "Use \\[name\\] or &lt;token&gt;");
    }

    #[test]
    fn bare_urls_are_wrapped() {
        assert_eq!(sanitize("See https://example.com/docs."), "See <https://example.com/docs>.");
    }

    #[test]
    fn code_blocks_never_become_doctests() {
        assert_eq!(sanitize("```json\n{\"a\": [1]}\n```"), "```text\n{\"a\": [1]}\n```");
        assert_eq!(sanitize("Example:\n\n    let x = 1;"), "Example:\n\nlet x = 1;");
    }

    #[test]
    fn inline_code_is_kept() {
        assert_eq!(sanitize("`a[0] <b>` and [c]"), "`a[0] <b>` and \\[c\\]");
        assert_eq!(sanitize("an `unclosed span"), "an `unclosed span`");
    }
}
