//! Spec prose → rustdoc that builds without warnings.
//!
//! Spec descriptions are CommonMark written for HTML renderers; rustdoc reads
//! them as Rust docs, where `[x]` is an intra-doc link, `<token>` an HTML tag,
//! a bare URL a lint and an indented or fenced block a doctest to compile.
//!
//! HTML that specs write for their own portals (`<p>`, `<br>`, `<b>`, `<code>`,
//! `<a href>`, lists, headings, `<pre>`) is converted to the markdown it means;
//! any other tag is shown as text. Fences are closed (text after an opening
//! fence is its first line, not lost), and tabs are expanded, as clippy's
//! `tabs_in_doc_comments` requires.

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
    let text = html_to_markdown(&text.replace("\r\n", "\n"));
    let mut out = String::with_capacity(text.len() + 16);
    let mut in_fence = false;
    for raw_line in text.lines() {
        let trimmed = raw_line.trim_start();
        let fence = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f));
        if let Some(fence) = fence {
            let after = trimmed.trim_start_matches(fence.chars().next().unwrap_or('`'));
            if in_fence {
                // A closing fence; anything after it is prose again.
                out.push_str("```\n");
                in_fence = false;
                if !after.trim().is_empty() {
                    out.push_str(&escape_inline(after.trim()));
                    out.push('\n');
                }
                continue;
            }
            // Every fenced block becomes a `text` block: never a doctest. An
            // info string is one word; anything else is the block's first line.
            out.push_str("```text\n");
            in_fence = true;
            let info_string =
                !after.trim().is_empty() && after.trim().chars().all(|c| c.is_alphanumeric() || "-_+.".contains(c));
            let mut first = if info_string { "" } else { after };
            if let Some(body) = first.strip_suffix(fence).or_else(|| first.trim_end().strip_suffix(fence)) {
                // ```a one-line block```
                first = body;
                if !first.trim().is_empty() {
                    out.push_str(&expand_tabs(first));
                    out.push('\n');
                }
                out.push_str("```\n");
                in_fence = false;
                continue;
            }
            if !first.trim().is_empty() {
                out.push_str(&expand_tabs(first));
                out.push('\n');
            }
            continue;
        }
        if in_fence {
            // `last line```` closes the block too.
            if let Some(body) = raw_line.trim_end().strip_suffix("```") {
                if !body.trim().is_empty() {
                    out.push_str(&expand_tabs(body));
                    out.push('\n');
                }
                out.push_str("```\n");
                in_fence = false;
                continue;
            }
            out.push_str(&expand_tabs(raw_line));
        } else {
            // Indentation would make an indented code block (a doctest): drop it.
            out.push_str(&escape_inline(&trimmed.replace('\t', " ")));
        }
        out.push('\n');
    }
    if in_fence {
        out.push_str("```\n");
    }
    out.trim_end().to_string()
}

/// Tabs to spaces at 4-column stops (code keeps its alignment).
fn expand_tabs(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut column = 0;
    for c in line.chars() {
        if c == '\t' {
            let spaces = 4 - column % 4;
            out.extend(std::iter::repeat_n(' ', spaces));
            column += spaces;
        } else {
            out.push(c);
            column += 1;
        }
    }
    out
}

/// The HTML tags spec prose uses for layout, rewritten as markdown. Tags it
/// does not know are left for [`escape_inline`] to show as text.
// Long: one scanner; the states it carries (`<pre>`, `<code>`, an open link) are shared by every tag's case.
fn html_to_markdown(text: &str) -> String {
    if !text.contains('<') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    // Inside `<pre>`, where text is code and only the closing tag matters.
    let mut in_pre = false;
    let mut in_code = false;
    let mut link: Option<String> = None;
    loop {
        if in_pre {
            // Code: verbatim up to the closing tag.
            let lower = rest.to_ascii_lowercase();
            let Some(close) = lower.find("</pre") else { break };
            out.push_str(&rest[..close]);
            out.push_str("\n```\n");
            in_pre = false;
            rest = rest[close..].find('>').map_or("", |end| &rest[close + end + 1..]);
            continue;
        }
        let Some(start) = rest.find(['<', '`']) else { break };
        out.push_str(&rest[..start]);
        if rest[start..].starts_with('`') {
            // Code spans (and fences) keep their angle brackets.
            in_code = !in_code;
            out.push('`');
            rest = &rest[start + 1..];
            continue;
        }
        if in_code {
            out.push('<');
            rest = &rest[start + 1..];
            continue;
        }
        let after = &rest[start..];
        let Some(end) = after.find('>') else {
            out.push_str(after);
            rest = "";
            break;
        };
        let tag = &after[1..end];
        let (closing, name, attributes) = parse_tag(tag);
        let replacement = match (closing, name.as_str()) {
            (false, "p") => Some("\n\n".to_string()),
            (true, "p") => Some("\n\n".to_string()),
            (_, "br") => Some("\n".to_string()),
            (_, "b" | "strong") => Some("**".to_string()),
            (_, "i" | "em") => Some("*".to_string()),
            (_, "code" | "tt") => Some("`".to_string()),
            (false, "pre") => {
                in_pre = true;
                Some("\n```\n".to_string())
            }
            (true, "pre") => Some(String::new()),
            (false, "ul" | "ol") | (true, "ul" | "ol") => Some("\n\n".to_string()),
            (false, "li") => Some("\n- ".to_string()),
            (true, "li") => Some(String::new()),
            (false, h)
                if h.len() == 2
                    && h.starts_with('h')
                    && h[1..].parse::<usize>().is_ok_and(|n| (1..=6).contains(&n)) =>
            {
                let level = h[1..].parse::<usize>().unwrap_or(1);
                Some(format!("\n\n{} ", "#".repeat(level)))
            }
            (true, h) if h.len() == 2 && h.starts_with('h') && h[1..].parse::<usize>().is_ok() => {
                Some("\n\n".to_string())
            }
            (false, "a") => {
                link = attribute(attributes, "href")
                    .filter(|href| href.starts_with("http://") || href.starts_with("https://"));
                Some(if link.is_some() { "[".to_string() } else { String::new() })
            }
            (true, "a") => Some(link.take().map(|href| format!("]({href})")).unwrap_or_default()),
            (_, "div" | "span" | "section" | "small" | "u" | "sup" | "sub") => Some(String::new()),
            _ => None,
        };
        match replacement {
            Some(replacement) => {
                out.push_str(&replacement);
                rest = &after[end + 1..];
            }
            None => {
                // Not a tag we know (`a < b`, `<token>`): text, read on from the next character.
                out.push('<');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    if link.is_some() {
        // An `<a>` never closed: its text stays, without the link.
        if let Some(open) = out.rfind('[') {
            out.remove(open);
        }
    }
    // HTML entities the conversion leaves behind.
    let out = out.replace("&nbsp;", " ").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    // `<p>` runs make long blank stretches: at most one blank line.
    let mut collapsed = String::with_capacity(out.len());
    let mut blank_lines = 0;
    for line in out.split('\n') {
        if line.trim().is_empty() {
            blank_lines += 1;
            if blank_lines > 1 {
                continue;
            }
        } else {
            blank_lines = 0;
        }
        collapsed.push_str(line.trim_end());
        collapsed.push('\n');
    }
    collapsed.trim().to_string()
}

/// `/a href="x"` → (closing, lowercase name, attributes).
fn parse_tag(tag: &str) -> (bool, String, &str) {
    let tag = tag.trim().trim_end_matches('/');
    let (closing, tag) = match tag.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, tag),
    };
    let name_end = tag.find(|c: char| c.is_whitespace()).unwrap_or(tag.len());
    let name = &tag[..name_end];
    if !name.chars().all(|c| c.is_ascii_alphanumeric()) || name.is_empty() {
        return (closing, String::new(), "");
    }
    (closing, name.to_ascii_lowercase(), &tag[name_end..])
}

/// The value of `name="…"` (or `'…'`) among a tag's attributes.
fn attribute(attributes: &str, name: &str) -> Option<String> {
    let lower = attributes.to_ascii_lowercase();
    let at = lower.find(&format!("{name}="))?;
    let value = &attributes[at + name.len() + 1..];
    let quote = value.chars().next()?;
    if quote == '"' || quote == '\'' {
        let inner = &value[1..];
        inner.find(quote).map(|end| inner[..end].to_string())
    } else {
        Some(value.split_whitespace().next().unwrap_or_default().to_string())
    }
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
            if let Some(link_len) = url_link_at(rest) {
                // `[text](https://…)`: a link rustdoc renders, not an intra-doc link.
                let (text_part, url_part) = rest[..link_len].split_at(rest[..link_len].rfind("](").unwrap_or(0));
                out.push('[');
                out.push_str(&escape_inline(&text_part[1..]).replace('[', "\\[").replace(']', "\\]"));
                out.push_str(url_part);
                rest = &rest[link_len..];
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

/// The length of a markdown link to a URL, `[text](https://…)`, at the start of `text`.
fn url_link_at(text: &str) -> Option<usize> {
    let rest = text.strip_prefix('[')?;
    let close = rest.find("](")?;
    let label = &rest[..close];
    if label.is_empty() || label.contains(['[', ']', '`']) {
        return None;
    }
    let target = &rest[close + 2..];
    if !(target.starts_with("http://") || target.starts_with("https://")) {
        return None;
    }
    let end = target.find(|c: char| c == ')' || c.is_whitespace() || c == '<' || c == '>')?;
    if !target[end..].starts_with(')') {
        return None;
    }
    Some(1 + close + 2 + end + 1)
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
    fn html_becomes_markdown() {
        assert_eq!(
            sanitize("<p>Lists <b>all</b> items.</p><p>See <a href=\"https://example.com/x\">the guide</a>.<br/>Use <code>limit</code>.</p>"),
            "Lists **all** items.\n\nSee [the guide](https://example.com/x).\nUse `limit`."
        );
        assert_eq!(sanitize("<ul><li>one</li><li>two</li></ul>"), "- one\n- two");
        // Unknown tags and stray angle brackets are text.
        assert_eq!(sanitize("a <token> b"), "a &lt;token&gt; b");
        assert_eq!(sanitize("<pre>if a < b {}</pre>"), "```text\nif a < b {}\n```");
    }

    #[test]
    fn markdown_links_to_urls_are_kept() {
        assert_eq!(sanitize("See [the docs](https://example.com/a)."), "See [the docs](https://example.com/a).");
        assert_eq!(sanitize("Use [x](#anchor)"), "Use \\[x\\](#anchor)");
    }

    #[test]
    fn fences_keep_their_text_and_are_closed() {
        assert_eq!(sanitize("```{\"a\": 1}\nmore\n```\nafter"), "```text\n{\"a\": 1}\nmore\n```\nafter");
        assert_eq!(
            sanitize("Example:\n```curl -X GET /pets```\nDone."),
            "Example:\n```text\ncurl -X GET /pets\n```\nDone."
        );
        assert_eq!(sanitize("```json\n{}```\ntext"), "```text\n{}\n```\ntext");
    }

    #[test]
    fn tabs_are_expanded() {
        assert_eq!(sanitize("a\tb\n```\n\tx\ty\n```"), "a b\n```text\n    x   y\n```");
    }

    #[test]
    fn inline_code_is_kept() {
        assert_eq!(sanitize("`a[0] <b>` and [c]"), "`a[0] <b>` and \\[c\\]");
        assert_eq!(sanitize("an `unclosed span"), "an `unclosed span`");
    }
}
