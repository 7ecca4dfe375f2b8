//! The AIP-160 subset the list RPCs accept: `field op value` clauses joined with `AND`.
//! Values are double-quoted strings (with `\"` and `\\` escapes) or bare words
//! (`[A-Za-z0-9_.:/-]+`). Operators: `=`, `!=`, `<`, `<=`, `>`, `>=`; each list RPC says which
//! fields and operators it accepts.

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }
}

/// One `field op value` clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub field: String,
    pub op: Op,
    pub value: String,
}

/// Parses a filter into clauses. An empty or all-whitespace filter has none.
pub fn parse(filter: &str) -> Result<Vec<Clause>, String> {
    let mut p = Parser { s: filter.as_bytes(), src: filter, i: 0 };
    let mut out = Vec::new();
    p.ws();
    if p.eof() {
        return Ok(out);
    }
    loop {
        out.push(p.clause()?);
        p.ws();
        if p.eof() {
            return Ok(out);
        }
        let w = p.word().to_string();
        if w != "AND" {
            return Err(if w.is_empty() {
                format!("unexpected {:?} at position {}; clauses are joined with AND", p.rest_preview(), p.i)
            } else if w.eq_ignore_ascii_case("or") || w.eq_ignore_ascii_case("not") {
                format!("{w} is not supported; only AND is")
            } else {
                format!("expected AND at position {}, found {w:?}", p.i - w.len())
            });
        }
        p.ws();
        if out.len() > 16 {
            return Err("too many clauses (at most 16)".into());
        }
    }
}

struct Parser<'a> {
    s: &'a [u8],
    src: &'a str,
    i: usize,
}

impl Parser<'_> {
    fn eof(&self) -> bool {
        self.i >= self.s.len()
    }
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }
    fn rest_preview(&self) -> String {
        self.src[self.i..].chars().take(12).collect()
    }
    fn word(&mut self) -> &str {
        let start = self.i;
        while self.i < self.s.len() && (self.s[self.i].is_ascii_alphanumeric() || matches!(self.s[self.i], b'_' | b'.' | b':' | b'/' | b'-')) {
            self.i += 1;
        }
        &self.src[start..self.i]
    }
    fn clause(&mut self) -> Result<Clause, String> {
        let field = self.word().to_string();
        if field.is_empty() {
            return Err(format!("expected a field name at position {}, found {:?}", self.i, self.rest_preview()));
        }
        self.ws();
        let op = match (self.s.get(self.i), self.s.get(self.i + 1)) {
            (Some(b'!'), Some(b'=')) => (Op::Ne, 2),
            (Some(b'<'), Some(b'=')) => (Op::Le, 2),
            (Some(b'>'), Some(b'=')) => (Op::Ge, 2),
            (Some(b'='), _) => (Op::Eq, 1),
            (Some(b'<'), _) => (Op::Lt, 1),
            (Some(b'>'), _) => (Op::Gt, 1),
            (Some(b':'), _) => return Err(format!("the has operator ':' is not supported; use {field} = \"...\"")),
            _ => return Err(format!("expected an operator (=, !=, <, <=, >, >=) after {field:?}")),
        };
        self.i += op.1;
        self.ws();
        let value = if self.s.get(self.i) == Some(&b'"') {
            self.i += 1;
            let mut v = String::new();
            let mut chars = self.src[self.i..].char_indices();
            loop {
                match chars.next() {
                    None => return Err(format!("unterminated string after {field:?}")),
                    Some((k, '"')) => {
                        self.i += k + 1;
                        break;
                    }
                    Some((_, '\\')) => match chars.next() {
                        Some((_, c @ ('"' | '\\'))) => v.push(c),
                        _ => return Err("bad escape in string; only \\\" and \\\\ are allowed".into()),
                    },
                    Some((_, c)) => v.push(c),
                }
            }
            v
        } else {
            let w = self.word().to_string();
            if w.is_empty() {
                return Err(format!("expected a value after {field} {}", op.0.as_str()));
            }
            w
        };
        Ok(Clause { field, op: op.0, value })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_clauses() {
        let c = parse(r#"type = ATTACK AND time >= "2020-01-01" AND participant="entities/x""#).unwrap();
        assert_eq!(c.len(), 3);
        assert_eq!(c[0], Clause { field: "type".into(), op: Op::Eq, value: "ATTACK".into() });
        assert_eq!(c[1].op, Op::Ge);
        assert_eq!(c[2].value, "entities/x");
        assert_eq!(parse("  ").unwrap(), vec![]);
        assert_eq!(parse(r#"source_name = "a \"b\" c""#).unwrap()[0].value, "a \"b\" c");
        assert_eq!(parse(r#"source_name = "وكالة تسنيم""#).unwrap()[0].value, "وكالة تسنيم");
    }

    #[test]
    fn rejects_malformed() {
        for bad in ["type", "type =", "= x", "type = x OR y = z", "type = x y = z", r#"a = "x"#, "a ~ b", "a = x AND", r#"a = "\n""#, "a : b"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
