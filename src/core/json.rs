//! A small JSON reader straight into the loose [`Value`] tree, with the same caps.
//!
//! The widget reads response text with it rather than with the browser's `JSON.parse` followed by
//! a walk over the JavaScript value: every value of that walk crossed between JavaScript and
//! wasm (a typeof test, a string copy), which cost 20 ms for 1,000 damages and 200 ms for 10,000.
//! Reading the text here crosses nothing, and its errors say line and column, like serde_json's.
//! On the host, tests and the fuzzer hold it to serde_json's reading of the same text.

#[allow(unused_imports)]
use crate::prelude::*;

use super::loose::{Overflow, Value, MAX_DEPTH, MAX_VALUES};
use super::model::{overflow_reason, Malformed, Position, Reason};

/// Reads `text` as one JSON value. `slow_number` reads the rare number the exact fast path
/// can't (more than 15 significant digits, or a large exponent): `str::parse` on the host, the
/// browser's `Number` in the widget (std's correctly rounded parser would add its tables to the
/// binary). It returns `None` for what it can't read.
pub fn parse(text: &str, slow_number: &dyn Fn(&str) -> Option<f64>) -> Result<Value, Malformed> {
    let mut r = Reader { text, bytes: text.as_bytes(), pos: 0, budget: MAX_VALUES, slow_number };
    r.skip_ws();
    let value = r.value(0)?;
    r.skip_ws();
    if r.pos < r.bytes.len() {
        return Err(r.error("trailing characters"));
    }
    Ok(value)
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    budget: u32,
    slow_number: &'a dyn Fn(&str) -> Option<f64>,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// A syntax error at the current position.
    fn error(&self, what: &str) -> Malformed {
        let before = self.text.get(..self.pos.min(self.text.len())).unwrap_or(self.text);
        let line = before.bytes().filter(|b| *b == b'\n').count() + 1;
        let column = before.chars().rev().take_while(|c| *c != '\n').count() + 1;
        Malformed { reason: Reason::Syntax(what.to_owned()), at: Position::Text { line, column } }
    }

    fn overflow(&self, o: Overflow) -> Malformed {
        let mut m = self.error("");
        m.reason = overflow_reason(o);
        m
    }

    fn take(&mut self) -> Result<(), Malformed> {
        match self.budget.checked_sub(1) {
            Some(left) => {
                self.budget = left;
                Ok(())
            }
            None => Err(self.overflow(Overflow::TooManyValues)),
        }
    }

    fn value(&mut self, depth: u32) -> Result<Value, Malformed> {
        self.take()?;
        match self.peek() {
            None => Err(self.error("EOF while parsing a value")),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Value::Text),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("expected value")),
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, Malformed> {
        if self.bytes.get(self.pos..self.pos + word.len()) == Some(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error("expected value"))
        }
    }

    fn enter(&self, depth: u32) -> Result<u32, Malformed> {
        if depth >= MAX_DEPTH {
            return Err(self.overflow(Overflow::TooDeep));
        }
        Ok(depth + 1)
    }

    fn array(&mut self, depth: u32) -> Result<Value, Malformed> {
        let inner = self.enter(depth)?;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::List(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(inner)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::List(items));
                }
                None => return Err(self.error("EOF while parsing a list")),
                Some(_) => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self, depth: u32) -> Result<Value, Malformed> {
        let inner = self.enter(depth)?;
        self.pos += 1;
        let mut entries = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Map(entries));
        }
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'"') => {}
                None => return Err(self.error("EOF while parsing an object")),
                Some(_) => return Err(self.error("key must be a string")),
            }
            let key = self.string()?;
            self.skip_ws();
            match self.peek() {
                Some(b':') => self.pos += 1,
                None => return Err(self.error("EOF while parsing an object")),
                Some(_) => return Err(self.error("expected `:`")),
            }
            self.skip_ws();
            let value = self.value(inner)?;
            entries.push((key, value));
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Map(entries));
                }
                None => return Err(self.error("EOF while parsing an object")),
                Some(_) => return Err(self.error("expected `,` or `}`")),
            }
        }
    }

    fn string(&mut self) -> Result<String, Malformed> {
        self.pos += 1; // the opening quote
        let mut out = String::new();
        loop {
            // Copy the run up to the next quote, backslash or control character at once.
            let start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // `start` and `pos` sit on ASCII bytes or the ends, so both are char boundaries.
            out.push_str(self.text.get(start..self.pos).unwrap_or(""));
            match self.peek() {
                None => return Err(self.error("EOF while parsing a string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape(&mut out)?;
                }
                Some(_) => return Err(self.error("control character (\\u0000-\\u001F) found while parsing a string")),
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), Malformed> {
        let Some(b) = self.peek() else { return Err(self.error("EOF while parsing a string")) };
        self.pos += 1;
        let c = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let high = self.hex4()?;
                if (0xD800..0xDC00).contains(&high) {
                    // A surrogate pair, or a lone half (which JavaScript strings allow and Rust
                    // strings can't hold: it reads as U+FFFD).
                    if self.bytes.get(self.pos..self.pos + 2) == Some(b"\\u") {
                        let save = self.pos;
                        self.pos += 2;
                        let low = self.hex4()?;
                        if (0xDC00..0xE000).contains(&low) {
                            let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                            char::from_u32(code).unwrap_or('\u{fffd}')
                        } else {
                            self.pos = save;
                            '\u{fffd}'
                        }
                    } else {
                        '\u{fffd}'
                    }
                } else {
                    char::from_u32(high).unwrap_or('\u{fffd}')
                }
            }
            _ => {
                self.pos -= 1;
                return Err(self.error("invalid escape"));
            }
        };
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, Malformed> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                None => return Err(self.error("EOF while parsing a string")),
                Some(_) => return Err(self.error("invalid \\u escape")),
            };
            v = v * 16 + u32::from(d);
            self.pos += 1;
        }
        Ok(v)
    }

    fn number(&mut self) -> Result<Value, Malformed> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let mut mantissa: u64 = 0;
        let mut digits = 0u32;
        let mut exponent: i64 = 0;
        let mut huge_exponent = false;
        // Integer part: one 0, or a non-zero digit and more.
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
            }
            Some(b'1'..=b'9') => {
                while let Some(b @ b'0'..=b'9') = self.peek() {
                    self.digit(b, &mut mantissa, &mut digits, &mut exponent, false);
                    self.pos += 1;
                }
            }
            _ => return Err(self.error("invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("invalid number"));
            }
            while let Some(b @ b'0'..=b'9') = self.peek() {
                self.digit(b, &mut mantissa, &mut digits, &mut exponent, true);
                self.pos += 1;
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            let exp_negative = match self.peek() {
                Some(b'-') => {
                    self.pos += 1;
                    true
                }
                Some(b'+') => {
                    self.pos += 1;
                    false
                }
                _ => false,
            };
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("invalid number"));
            }
            // Held below a cap so it cannot overflow; a number past the cap (whatever its digits
            // would make of it) goes to the slow path, which reads the exponent whole.
            let mut e: i64 = 0;
            while let Some(b @ b'0'..=b'9') = self.peek() {
                e = e * 10 + i64::from(b - b'0');
                if e > 1_000_000 {
                    e = 1_000_000;
                    huge_exponent = true;
                }
                self.pos += 1;
            }
            exponent += if exp_negative { -e } else { e };
        }
        // The digits without the sign (the sign is applied below, to either path's result).
        let text = self.text.get(start + usize::from(negative)..self.pos).unwrap_or("");
        let value = match fast_path(mantissa, digits, exponent).filter(|_| !huge_exponent) {
            Some(v) => v,
            None => (self.slow_number)(text).ok_or_else(|| self.error("invalid number"))?,
        };
        Ok(Value::Number(if negative { -value } else { value }))
    }

    /// Accumulates one digit: up to 19 significant digits in `mantissa` (more only move the
    /// exponent, and make the number a slow-path one).
    fn digit(&self, b: u8, mantissa: &mut u64, digits: &mut u32, exponent: &mut i64, fraction: bool) {
        if *digits < 19 {
            *mantissa = *mantissa * 10 + u64::from(b - b'0');
            if *mantissa != 0 {
                *digits += 1;
            }
            if fraction {
                *exponent -= 1;
            }
        } else {
            *digits += 1;
            if !fraction {
                *exponent += 1;
            }
        }
    }
}

/// Clinger's fast path: a mantissa below 2^53 times or over an exact power of ten (at most
/// 10^22) is one correctly rounded IEEE operation. PAVE's coordinates ("17.43") always take it.
fn fast_path(mantissa: u64, digits: u32, exponent: i64) -> Option<f64> {
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ];
    if digits > 15 || mantissa >= (1 << 53) {
        return None;
    }
    #[allow(clippy::cast_precision_loss)]
    let m = mantissa as f64;
    if mantissa == 0 {
        return Some(0.0);
    }
    let e = usize::try_from(exponent.unsigned_abs()).ok()?;
    let p = *POW10.get(e)?;
    Some(if exponent < 0 { m / p } else { m * p })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Value, Malformed> {
        parse(text, &|s: &str| s.parse::<f64>().ok())
    }

    #[test]
    fn reads_every_kind() {
        let v = read(r#" {"a": [1, -2.5, "x\n\u00e9\ud83d\ude00", true, false, null], "b": {}, "c": []} "#).unwrap();
        assert_eq!(
            v.get("a"),
            Some(&Value::List(vec![
                Value::Number(1.0),
                Value::Number(-2.5),
                Value::Text("x\né😀".into()),
                Value::Bool(true),
                Value::Bool(false),
                Value::Null,
            ]))
        );
        assert_eq!(v.get("b"), Some(&Value::Map(vec![])));
        assert_eq!(v.get("c"), Some(&Value::List(vec![])));
    }

    #[test]
    fn numbers_are_exact() {
        for text in [
            "17.43",
            "0.1",
            "59.84",
            "100",
            "-0.0",
            "1e2",
            "2.5E-3",
            "123456789012345",
            "0",
            "1e22",
            "9007199254740991",
        ] {
            let Value::Number(n) = read(text).unwrap() else { panic!("{text}") };
            assert_eq!(n.to_bits(), text.parse::<f64>().unwrap().to_bits(), "{text}");
        }
        // Beyond the fast path: the slow reader decides.
        let Value::Number(n) = read("1.2345678901234567890123").unwrap() else { panic!() };
        assert_eq!(n, "1.2345678901234567890123".parse::<f64>().unwrap());
        let Value::Number(n) = read("1e300").unwrap() else { panic!() };
        assert_eq!(n, 1e300);
        // Like `JSON.parse`: out of range is infinite (the model then skips the coordinate).
        assert_eq!(read("1e999").unwrap(), Value::Number(f64::INFINITY));
    }

    #[test]
    fn an_exponent_past_the_cap_is_read_whole() {
        // 0.000…5 (a million and one zeros) e1000002 is 5: the exponent must not be cut short
        // before the fraction's digits move it back. The slow reader stands for the browser's
        // `parseFloat` (Rust's own `parse` caps long exponents too, and would read 0 here).
        let read = |text: &str| parse(text, &|s: &str| serde_json::from_str::<f64>(s).ok().or_else(|| s.parse().ok()));
        let zeros = "0".repeat(1_000_001);
        for (text, want) in [
            (format!("0.{zeros}5e1000002"), 5.0),
            (format!("5{zeros}e-1000003"), 0.05),
            ("1e99999999999999999999".to_owned(), f64::INFINITY),
            ("1e-99999999999999999999".to_owned(), 0.0),
        ] {
            assert_eq!(read(&text).unwrap(), Value::Number(want), "{}…", text.get(..12).unwrap_or(""));
            assert_eq!(serde_json::from_str::<f64>(&text).ok().unwrap_or(f64::INFINITY), want);
        }
    }

    #[test]
    fn errors_say_where() {
        let cases = [
            ("{\n  \"a\": 1\n  \"b\": 2\n}", 3, 3),
            ("[1, 2", 1, 6),
            ("{\"a\" 1}", 1, 6),
            ("\"abc", 1, 5),
            ("[01]", 1, 3),
            ("tru", 1, 1),
            ("{} x", 1, 4),
            ("\"\t\"", 1, 2),
            ("\"\\q\"", 1, 3),
            ("[1.]", 1, 4),
            ("-", 1, 2),
        ];
        for (text, line, column) in cases {
            let m = read(text).unwrap_err();
            assert!(matches!(m.reason, Reason::Syntax(_)), "{text:?}: {m:?}");
            assert_eq!(m.at, Position::Text { line, column }, "{text:?}: {m:?}");
        }
    }

    #[test]
    fn lone_surrogates_read_as_replacement_characters() {
        assert_eq!(read(r#""a\ud800b""#).unwrap(), Value::Text("a\u{fffd}b".into()));
        assert_eq!(read(r#""\udc00""#).unwrap(), Value::Text("\u{fffd}".into()));
        assert_eq!(read(r#""\ud800\u0041""#).unwrap(), Value::Text("\u{fffd}A".into()));
    }

    #[test]
    fn caps_hold() {
        let deep = "[".repeat(MAX_DEPTH as usize + 1) + &"]".repeat(MAX_DEPTH as usize + 1);
        assert_eq!(read(&deep).unwrap_err().reason, Reason::TooDeep);
        let ok = "[".repeat(MAX_DEPTH as usize) + &"]".repeat(MAX_DEPTH as usize);
        assert!(read(&ok).is_ok());
        let many = format!("[{}0]", "0,".repeat(MAX_VALUES as usize));
        assert!(matches!(read(&many).unwrap_err().reason, Reason::TooMany { what: "values", .. }));
        // A very deep input stops at the cap, long before the stack runs out.
        let abyss = "[".repeat(1_000_000);
        assert_eq!(read(&abyss).unwrap_err().reason, Reason::TooDeep);
    }
}
