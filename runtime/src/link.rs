//! RFC 8288 `Link` headers: finding the `rel="next"` target that
//! GitHub-style APIs paginate with.
//!
//! ```text
//! Link: <https://api.example.com/items?page=2>; rel="next", <…?page=9>; rel="last"
//! ```

use reqwest::header::{HeaderMap, LINK};

/// The target of the first `rel="next"` link of every `Link` header of
/// `headers` (the `rel` may list several relation types, in any case).
/// Malformed link values are skipped: a header is never an error.
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(parse_links)
        .find(|link| {
            link.params.iter().any(|(name, value)| {
                name.eq_ignore_ascii_case("rel")
                    && value.split_ascii_whitespace().any(|rel| rel.eq_ignore_ascii_case("next"))
            })
        })
        .map(|link| link.target)
}

/// One link-value: `<target>; name=value; name="quoted value"`.
#[derive(Debug, PartialEq, Eq)]
struct Link {
    target: String,
    params: Vec<(String, String)>,
}

/// The link-values of one header value, up to the first malformed one.
fn parse_links(value: &str) -> Vec<Link> {
    let mut links = Vec::new();
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_ascii_whitespace());
        let Some(after_open) = rest.strip_prefix('<') else {
            return links;
        };
        let Some((target, after)) = after_open.split_once('>') else {
            return links;
        };
        rest = after;
        let mut params = Vec::new();
        loop {
            rest = rest.trim_start();
            let Some(after_semicolon) = rest.strip_prefix(';') else {
                break;
            };
            let (param, after_param) = parse_param(after_semicolon);
            rest = after_param;
            if let Some(param) = param {
                params.push(param);
            }
        }
        links.push(Link { target: target.trim().to_owned(), params });
        rest = rest.trim_start();
        if !rest.is_empty() && !rest.starts_with(',') {
            return links;
        }
    }
}

/// `name=value`, `name="quoted \" value"` or a bare `name`, and the rest
/// after it (at the next `;` or `,`).
fn parse_param(input: &str) -> (Option<(String, String)>, &str) {
    let input = input.trim_start();
    let name_end = input.find(['=', ';', ',']).unwrap_or(input.len());
    let name = input[..name_end].trim().to_owned();
    let rest = &input[name_end..];
    let Some(after_eq) = rest.strip_prefix('=') else {
        return ((!name.is_empty()).then(|| (name, String::new())), rest);
    };
    let after_eq = after_eq.trim_start();
    if let Some(quoted) = after_eq.strip_prefix('"') {
        let mut value = String::new();
        let mut chars = quoted.char_indices();
        while let Some((index, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, escaped)) = chars.next() {
                        value.push(escaped);
                    }
                }
                '"' => return (Some((name, value)), &quoted[index + 1..]),
                other => value.push(other),
            }
        }
        // An unterminated quote: the value runs to the end.
        return (Some((name, value)), "");
    }
    let value_end = after_eq.find([';', ',']).unwrap_or(after_eq.len());
    let value = after_eq[..value_end].trim().to_owned();
    (Some((name, value)), &after_eq[value_end..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(values: &[&'static str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for value in values {
            map.append(LINK, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn finds_next_among_several_links_and_headers() {
        let github = r#"<https://api.github.com/repos/o/r/issues?page=2>; rel="next", <https://api.github.com/repos/o/r/issues?page=5>; rel="last""#;
        assert_eq!(next_link(&headers(&[github])).as_deref(), Some("https://api.github.com/repos/o/r/issues?page=2"));
        let split = headers(&[r#"</a?page=1>; rel=prev"#, r#"</a?x=1,2&page=3>; title="a, b; c"; REL="last Next""#]);
        assert_eq!(next_link(&split).as_deref(), Some("/a?x=1,2&page=3"));
    }

    #[test]
    fn no_next_or_malformed_values_give_none() {
        assert_eq!(next_link(&headers(&[r#"<https://x/?p=9>; rel="last""#])), None);
        assert_eq!(next_link(&headers(&["garbage; rel=next"])), None);
        assert_eq!(next_link(&headers(&["<unterminated; rel=next"])), None);
        assert_eq!(next_link(&HeaderMap::new()), None);
        // A valid link after a malformed one in the same value is not trusted.
        assert_eq!(next_link(&headers(&[r#"<a>; rel="prev" junk, <b>; rel="next""#])), None);
    }

    #[test]
    fn quoted_values_unescape_and_bare_params_parse() {
        let links = parse_links(r#"<u>; anchor; title="say \"hi\"", <v>;rel=next"#);
        assert_eq!(
            links,
            vec![
                Link {
                    target: "u".into(),
                    params: vec![("anchor".into(), String::new()), ("title".into(), "say \"hi\"".into())],
                },
                Link { target: "v".into(), params: vec![("rel".into(), "next".into())] },
            ]
        );
    }
}
