//! A character cursor over a definition's text, shared by the hand-written parsers of JSONPath
//! paths and intrinsic function calls.

/// Position `i` (a byte offset on a char boundary) in `s`.
#[derive(Debug)]
pub(crate) struct Scanner<'a> {
    pub s: &'a str,
    pub i: usize,
}

impl<'a> Scanner<'a> {
    pub fn new(s: &'a str) -> Self {
        Scanner { s, i: 0 }
    }

    /// The next character, without consuming it.
    pub fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    /// Consumes and returns the next character.
    pub fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.i += c.len_utf8();
        Some(c)
    }

    /// Consumes `c` if it comes next.
    pub fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.i += c.len_utf8();
            true
        } else {
            false
        }
    }

    /// Skips whitespace.
    pub fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    /// What is left.
    pub fn rest(&self) -> &'a str {
        &self.s[self.i..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_characters_not_bytes() {
        let mut sc = Scanner::new(" é.x");
        sc.skip_ws();
        assert_eq!(sc.bump(), Some('é'));
        assert!(sc.eat('.'));
        assert!(!sc.eat('.'));
        assert_eq!(sc.rest(), "x");
        assert_eq!(sc.peek(), Some('x'));
    }
}
