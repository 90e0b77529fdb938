//! One string matching a regular expression, for the conformance driver's
//! synthesized arguments (`pattern: '^[A-Z]{2}-\d{4}$'` → `AA-0000`).
//!
//! Only the subset spec authors write is understood: literals, escapes
//! (`\d`, `\w`, `\s`, `\.`), `.`, classes (`[a-z0-9_]`, `[^…]`), groups
//! (capturing, `(?:…)`) with `|` (the first alternative is taken), anchors, and
//! the quantifiers `?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}` (the minimum count is
//! used, at least one for `*`/`+` so that a value is never empty by choice).
//! Anything else (look-arounds, back-references) gives `None`: the caller falls
//! back to the schema's example or a plain string.

/// A string the pattern matches, when the pattern is within the subset.
pub fn sample(pattern: &str) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut parser = Parser { chars: &chars, at: 0 };
    let out = parser.alternation()?;
    (parser.at == chars.len()).then_some(out)
}

struct Parser<'a> {
    chars: &'a [char],
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += 1;
        Some(c)
    }

    /// `a|b|c`: the first alternative's sample; the others are parsed and dropped.
    fn alternation(&mut self) -> Option<String> {
        let first = self.sequence()?;
        while self.peek() == Some('|') {
            self.at += 1;
            self.sequence()?;
        }
        Some(first)
    }

    fn sequence(&mut self) -> Option<String> {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            let count = self.quantifier()?;
            for _ in 0..count {
                out.push_str(&atom);
            }
        }
        Some(out)
    }

    fn atom(&mut self) -> Option<String> {
        match self.next()? {
            '^' | '$' => Some(String::new()),
            '.' => Some("a".into()),
            '\\' => self.escape().map(String::from),
            '[' => self.class().map(String::from),
            '(' => {
                if self.peek() == Some('?') {
                    // Only non-capturing groups; look-arounds cannot be sampled this way.
                    self.at += 1;
                    if self.next()? != ':' {
                        return None;
                    }
                }
                let inner = self.alternation()?;
                (self.next()? == ')').then_some(inner)
            }
            '*' | '+' | '?' | '{' | ')' => None,
            c => Some(c.to_string()),
        }
    }

    fn escape(&mut self) -> Option<char> {
        Some(match self.next()? {
            'd' => '0',
            'w' => 'a',
            's' => ' ',
            'D' | 'W' | 'S' => '-',
            'n' => '\n',
            't' => '\t',
            c if c.is_ascii_alphanumeric() => return None, // \b, \1, \p{…}: out of the subset
            c => c,
        })
    }

    /// `[a-z0-9]` → `a`; `[^…]` → the first of a few candidates not excluded.
    fn class(&mut self) -> Option<char> {
        let negated = self.peek() == Some('^');
        if negated {
            self.at += 1;
        }
        let mut ranges: Vec<(char, char)> = Vec::new();
        let mut first = true;
        loop {
            let c = self.next()?;
            if c == ']' && !first {
                break;
            }
            first = false;
            let start = if c == '\\' { self.escape()? } else { c };
            if self.peek() == Some('-') && self.chars.get(self.at + 1).is_some_and(|&n| n != ']') {
                self.at += 1;
                let end = match self.next()? {
                    '\\' => self.escape()?,
                    end => end,
                };
                ranges.push((start, end));
            } else {
                ranges.push((start, start));
            }
        }
        if negated {
            ['a', 'A', '0', '_', '-', 'z'].into_iter().find(|c| !ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(c)))
        } else {
            ranges.first().map(|(lo, _)| *lo)
        }
    }

    /// How many times the preceding atom is repeated.
    fn quantifier(&mut self) -> Option<usize> {
        let count = match self.peek() {
            Some('?') => 0,
            Some('*') | Some('+') => 1,
            Some('{') => {
                self.at += 1;
                let mut digits = String::new();
                while let Some(c) = self.peek().filter(char::is_ascii_digit) {
                    digits.push(c);
                    self.at += 1;
                }
                while let Some(c) = self.next() {
                    if c == '}' {
                        break;
                    }
                }
                let count: usize = digits.parse().ok()?;
                // Lazy/possessive suffixes do not change the minimum.
                if matches!(self.peek(), Some('?') | Some('+')) {
                    self.at += 1;
                }
                return Some(count.min(64));
            }
            _ => return Some(1),
        };
        self.at += 1;
        if matches!(self.peek(), Some('?') | Some('+')) {
            self.at += 1;
        }
        Some(count)
    }
}

#[cfg(test)]
mod tests {
    use super::sample;

    #[test]
    fn samples_match_their_patterns() {
        let cases = [
            ("^[A-Z]{2}-\\d{4}$", "AA-0000"),
            ("^[a-z0-9_-]+$", "a"),
            ("^(foo|bar)\\.json$", "foo.json"),
            ("^(?:v)?\\d+(\\.\\d+){2}$", "0.0.0"),
            ("[^/]+", "a"),
            ("^[^a-zA-Z]*x$", "0x"),
            ("abc", "abc"),
        ];
        for (pattern, expected) in cases {
            assert_eq!(sample(pattern).as_deref(), Some(expected), "{pattern}");
        }
    }

    #[test]
    fn constructs_outside_the_subset_give_none() {
        for pattern in ["(?=a)b", "(a)\\1", "\\bword", "a)"] {
            assert_eq!(sample(pattern), None, "{pattern}");
        }
    }
}
