//! TeX (the subset in the module docs of [`super`]) → a tree of [`Node`]s.
//!
//! The parser never fails: what it does not understand it shows as written (an unknown
//! command as its name, a stray `}` as itself). Groups nest at most [`MAX_NESTING`] deep;
//! deeper ones are kept as their text, so no input can overflow the stack.

use super::symbols;

/// How deep groups and arguments nest before the rest is kept as text.
const MAX_NESTING: usize = 24;

/// One piece of a formula.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A variable (a letter, a Greek letter): italic.
    Ident(String),
    /// A number.
    Number(String),
    /// An operator, relation, delimiter or other symbol: upright.
    Op(String),
    /// A function name or an unknown command's name (`sin`, `lim`): upright.
    Word(String),
    /// Text (`\text{…}`), spaces kept.
    Text(String),
    /// Space (`\,`, `\quad`, `~`).
    Space,
    /// A group (`{…}`) or an argument of more than one piece.
    Row(Vec<Node>),
    /// A base with a subscript, a superscript or both.
    Scripts {
        base: Box<Node>,
        sub: Option<Box<Node>>,
        sup: Option<Box<Node>>,
    },
    /// A fraction.
    Frac(Box<Node>, Box<Node>),
    /// A square root, or a root with its index.
    Root(Option<Box<Node>>, Box<Node>),
    /// A base with an accent over it, as a combining character (`\hat`, `\vec`, `\bar`).
    Accent(Box<Node>, char),
}

/// Parses TeX math (without its `$` delimiters).
pub fn parse(tex: &str) -> Vec<Node> {
    let mut parser = Parser {
        chars: tex.chars().collect(),
        at: 0,
    };
    parser.row(0, false)
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    /// Pieces up to the end, or up to the `}` that closes this group (`in_group`).
    fn row(&mut self, depth: usize, in_group: bool) -> Vec<Node> {
        let mut out: Vec<Node> = Vec::new();
        loop {
            self.skip_spaces();
            let Some(c) = self.peek() else { break };
            match c {
                '}' if in_group => {
                    self.at += 1;
                    break;
                }
                '^' | '_' => {
                    self.at += 1;
                    let script = self.argument(depth);
                    let base = out.pop().unwrap_or(Node::Row(Vec::new()));
                    out.push(attach(base, c == '^', script));
                }
                _ => {
                    if let Some(node) = self.atom(depth) {
                        out.push(node);
                    }
                }
            }
        }
        out
    }

    /// One argument: a group, a command with its own arguments, or one character.
    fn argument(&mut self, depth: usize) -> Node {
        self.skip_spaces();
        match self.peek() {
            None => Node::Row(Vec::new()),
            Some('^' | '_' | '}') => Node::Row(Vec::new()),
            _ => self.atom(depth).unwrap_or(Node::Row(Vec::new())),
        }
    }

    /// A group's content as text, its braces balanced (past the nesting limit).
    fn raw_group(&mut self) -> String {
        let mut depth = 1usize;
        let mut text = String::new();
        while let Some(c) = self.peek() {
            self.at += 1;
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            text.push(c);
        }
        text
    }

    /// One piece; `None` for what shows nothing (`\left`, `\displaystyle`).
    fn atom(&mut self, depth: usize) -> Option<Node> {
        let c = self.peek()?;
        self.at += 1;
        match c {
            '{' => {
                if depth >= MAX_NESTING {
                    return Some(Node::Text(self.raw_group()));
                }
                Some(single(self.row(depth + 1, true)))
            }
            '\\' => self.command(depth),
            '~' => Some(Node::Space),
            '&' => Some(Node::Space),
            '0'..='9' | '.' if c != '.' || self.peek().is_some_and(|d| d.is_ascii_digit()) => {
                let mut number = c.to_string();
                while let Some(d) = self.peek() {
                    let decimal_point = d == '.'
                        && self
                            .chars
                            .get(self.at + 1)
                            .is_some_and(|d| d.is_ascii_digit());
                    if d.is_ascii_digit() || decimal_point {
                        number.push(d);
                        self.at += 1;
                    } else {
                        break;
                    }
                }
                Some(Node::Number(number))
            }
            '-' => Some(Node::Op("−".to_string())),
            '*' => Some(Node::Op("∗".to_string())),
            '\'' => Some(Node::Op("′".to_string())),
            c if c.is_alphabetic() => Some(Node::Ident(c.to_string())),
            c => Some(Node::Op(c.to_string())),
        }
    }

    /// A command's name (letters, or the one character after the backslash).
    fn command_name(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self.peek().filter(char::is_ascii_alphabetic) {
            name.push(c);
            self.at += 1;
        }
        if name.is_empty() {
            if let Some(c) = self.peek() {
                name.push(c);
                self.at += 1;
            }
        }
        name
    }

    /// The argument of `\begin` and `\end`: `{name}`, skipped.
    fn skip_environment_name(&mut self) {
        self.skip_spaces();
        if self.peek() == Some('{') {
            self.at += 1;
            self.raw_group();
        }
    }

    fn command(&mut self, depth: usize) -> Option<Node> {
        let name = self.command_name();
        let deeper = depth + 1;
        if depth >= MAX_NESTING {
            return Some(Node::Word(name));
        }
        match name.as_str() {
            "frac" | "dfrac" | "tfrac" | "cfrac" => {
                let num = self.argument(deeper);
                let den = self.argument(deeper);
                Some(Node::Frac(Box::new(num), Box::new(den)))
            }
            "binom" | "tbinom" | "dbinom" => {
                let n = self.argument(deeper);
                let k = self.argument(deeper);
                Some(Node::Row(vec![
                    Node::Op("(".into()),
                    Node::Frac(Box::new(n), Box::new(k)),
                    Node::Op(")".into()),
                ]))
            }
            "sqrt" => {
                self.skip_spaces();
                let index = if self.peek() == Some('[') {
                    self.at += 1;
                    let mut index = Vec::new();
                    loop {
                        self.skip_spaces();
                        match self.peek() {
                            None => break,
                            Some(']') => {
                                self.at += 1;
                                break;
                            }
                            Some(_) => index.extend(self.atom(deeper)),
                        }
                    }
                    Some(Box::new(single(index)))
                } else {
                    None
                };
                let body = self.argument(deeper);
                Some(Node::Root(index, Box::new(body)))
            }
            "text" | "textrm" | "textit" | "textbf" | "mbox" | "hbox" | "textsf" | "texttt" => {
                self.skip_spaces();
                if self.peek() == Some('{') {
                    self.at += 1;
                    Some(Node::Text(self.raw_group()))
                } else {
                    self.atom(deeper)
                }
            }
            "operatorname" | "mathrm" | "rm" | "mathbf" | "bf" | "mathsf" | "mathtt" => {
                let argument = self.argument(deeper);
                Some(upright(argument))
            }
            "mathit" | "mathnormal" | "boldsymbol" | "bm" | "it" => Some(self.argument(deeper)),
            "mathbb" | "mathcal" | "mathfrak" | "mathscr" | "Bbb" => {
                let argument = self.argument(deeper);
                let map: fn(char) -> Option<char> = match name.as_str() {
                    "mathbb" | "Bbb" => symbols::double_struck,
                    "mathcal" | "mathscr" => symbols::script,
                    _ => symbols::fraktur,
                };
                Some(restyle(argument, map))
            }
            "left" | "right" | "bigl" | "bigr" | "Bigl" | "Bigr" | "big" | "Big" | "bigg"
            | "Bigg" | "biggl" | "biggr" | "middle" => {
                // The delimiter that follows is set as itself; `.` is none.
                self.skip_spaces();
                if self.peek() == Some('.') {
                    self.at += 1;
                }
                None
            }
            "displaystyle" | "textstyle" | "scriptstyle" | "scriptscriptstyle" | "limits"
            | "nolimits" | "nonumber" | "notag" => None,
            "label" | "tag" => {
                self.argument(deeper);
                None
            }
            "begin" | "end" => {
                self.skip_environment_name();
                Some(Node::Space)
            }
            "\\" | "newline" | "cr" => Some(Node::Op(";".into())),
            "," | ":" | ";" | ">" | " " | "quad" | "qquad" | "enspace" | "thinspace" => {
                Some(Node::Space)
            }
            "!" | "negthinspace" => None,
            _ => {
                if let Some(mark) = symbols::accent(&name) {
                    let base = self.argument(deeper);
                    return Some(Node::Accent(Box::new(base), mark));
                }
                if let Some(symbol) = symbols::symbol(&name) {
                    let text = symbol.to_string();
                    return Some(if symbols::is_letter(symbol) {
                        Node::Ident(text)
                    } else if symbol.is_alphabetic() {
                        Node::Word(text)
                    } else {
                        Node::Op(text)
                    });
                }
                if symbols::is_function(&name) {
                    return Some(Node::Word(name));
                }
                if name.chars().all(|c| c.is_ascii_alphabetic()) {
                    // Unknown: shown as its name, never dropped.
                    Some(Node::Word(name))
                } else {
                    // An escaped character: `\{`, `\%`, `\$`, `\#`, `\_`.
                    Some(Node::Op(name))
                }
            }
        }
    }
}

/// A list of pieces as one node: itself when it is one piece.
fn single(mut nodes: Vec<Node>) -> Node {
    if nodes.len() == 1 {
        nodes.pop().unwrap_or(Node::Row(Vec::new()))
    } else {
        Node::Row(nodes)
    }
}

/// Attaches a script to a base (a second `^` to a base that has one nests it, as TeX would
/// complain of a double superscript).
fn attach(base: Node, is_sup: bool, script: Node) -> Node {
    let script = Some(Box::new(script));
    match base {
        Node::Scripts { base, sub, sup }
            if (is_sup && sup.is_none()) || (!is_sup && sub.is_none()) =>
        {
            if is_sup {
                Node::Scripts {
                    base,
                    sub,
                    sup: script,
                }
            } else {
                Node::Scripts {
                    base,
                    sub: script,
                    sup,
                }
            }
        }
        base => {
            let base = Box::new(base);
            if is_sup {
                Node::Scripts {
                    base,
                    sub: None,
                    sup: script,
                }
            } else {
                Node::Scripts {
                    base,
                    sub: script,
                    sup: None,
                }
            }
        }
    }
}

/// Letters set upright: `\mathrm{d}`, `\operatorname{sgn}`.
fn upright(node: Node) -> Node {
    match node {
        Node::Ident(s) => Node::Word(s),
        Node::Row(nodes)
            if nodes
                .iter()
                .all(|n| matches!(n, Node::Ident(_) | Node::Word(_))) =>
        {
            let mut word = String::new();
            for n in &nodes {
                if let Node::Ident(s) | Node::Word(s) = n {
                    word.push_str(s);
                }
            }
            Node::Word(word)
        }
        Node::Row(nodes) => Node::Row(nodes.into_iter().map(upright).collect()),
        other => other,
    }
}

/// Letters in another alphabet (`\mathbb{R}` → ℝ), where Unicode has the character.
fn restyle(node: Node, map: fn(char) -> Option<char>) -> Node {
    match node {
        Node::Ident(s) => {
            let mapped: Option<String> = s.chars().map(map).collect();
            Node::Ident(mapped.unwrap_or(s))
        }
        Node::Row(nodes) => Node::Row(nodes.into_iter().map(|n| restyle(n, map)).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_attach_to_the_piece_before() {
        assert_eq!(
            parse("x_i^2"),
            vec![Node::Scripts {
                base: Box::new(Node::Ident("x".into())),
                sub: Some(Box::new(Node::Ident("i".into()))),
                sup: Some(Box::new(Node::Number("2".into()))),
            }]
        );
    }

    #[test]
    fn deep_nesting_stays_text_and_nothing_panics() {
        let deep = "{".repeat(10_000) + "x" + &"}".repeat(10_000);
        assert!(!parse(&deep).is_empty());
        for odd in [
            "}", "^", "_", "\\", "\\frac", "\\sqrt[", "{", "x^", "\\left", "\\begin{",
        ] {
            parse(odd);
        }
    }
}
