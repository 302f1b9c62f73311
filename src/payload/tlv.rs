//! EMVCo TLV: two-digit ID, two-digit length, value. Lengths count characters (Unicode scalar
//! values), positions are character offsets from the start of the payload. Never panics.

use super::error::err;
use super::{ErrorCode, ParseError, Tlv};

/// One data object with its place in the payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Two-digit ID.
    pub id: String,
    /// Path from the root, e.g. "26.01".
    pub path: String,
    /// Character position of the ID.
    pub pos: usize,
    /// Character position of the value.
    pub value_pos: usize,
    pub value: String,
    /// Length as written (characters, or bytes in the lenient byte mode).
    pub len: usize,
    pub children: Option<Vec<Field>>,
}

impl Field {
    pub fn child(&self, id: &str) -> Option<&Field> {
        self.children.as_ref()?.iter().find(|f| f.id == id)
    }
    pub fn child_value(&self, id: &str) -> Option<&str> {
        self.child(id).map(|f| f.value.as_str())
    }
    pub fn to_tlv(&self) -> Tlv {
        Tlv {
            tag: self.id.clone(),
            length: self.len,
            value: self.value.clone(),
            children: self.children.as_ref().map(|c| c.iter().map(Field::to_tlv).collect()),
        }
    }
}

pub fn find<'a>(fields: &'a [Field], id: &str) -> Option<&'a Field> {
    fields.iter().find(|f| f.id == id)
}

/// How lengths are counted: EMVCo says characters; some generators (seen in VietQR) count UTF-8 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LengthUnit {
    Chars,
    Bytes,
}

fn two_digits(a: char, b: char) -> Option<usize> {
    let d1 = a.to_digit(10)?;
    let d2 = b.to_digit(10)?;
    if !a.is_ascii_digit() || !b.is_ascii_digit() {
        return None;
    }
    Some((d1 * 10 + d2) as usize)
}

/// Parse one level of TLV objects from `chars`, whose first character is at `base` in the payload.
/// Rejects duplicate IDs at the same level.
pub fn parse_level(chars: &[char], base: usize, parent: &str, unit: LengthUnit) -> Result<Vec<Field>, ParseError> {
    let mut out: Vec<Field> = Vec::new();
    let mut i = 0usize;
    while i < chars.len() {
        let pos = base + i;
        let rest = chars.len() - i;
        if rest < 4 {
            let tail: String = chars[i..].iter().collect();
            return Err(err(
                ErrorCode::Truncated,
                pos,
                parent,
                format!("truncated data object: {rest} character(s) {tail:?} left where an ID and a length (4 digits) are needed"),
            ));
        }
        let id_s: String = chars[i..i + 2].iter().collect();
        if two_digits(chars[i], chars[i + 1]).is_none() {
            return Err(err(ErrorCode::BadTag, pos, parent, format!("data object ID must be two digits, found {id_s:?}")));
        }
        let path = if parent.is_empty() { id_s.clone() } else { format!("{parent}.{id_s}") };
        let Some(len) = two_digits(chars[i + 2], chars[i + 3]) else {
            let l: String = chars[i + 2..i + 4].iter().collect();
            return Err(err(ErrorCode::BadLength, pos + 2, &path, format!("length must be two digits, found {l:?}")));
        };
        if len == 0 {
            return Err(err(ErrorCode::EmptyValue, pos + 2, &path, "length 00: a present data object must have a value (01-99)"));
        }
        let vstart = i + 4;
        let vend = match unit {
            LengthUnit::Chars => vstart + len,
            LengthUnit::Bytes => {
                let mut bytes = 0usize;
                let mut j = vstart;
                while bytes < len && j < chars.len() {
                    bytes += chars[j].len_utf8();
                    j += 1;
                }
                if bytes != len && j < chars.len() {
                    return Err(err(ErrorCode::BadLength, pos + 2, &path, format!("length {len} ends inside a multi-byte character")));
                }
                if bytes < len { chars.len() + 1 } else { j }
            }
        };
        if vend > chars.len() {
            return Err(err(
                ErrorCode::Truncated,
                pos + 2,
                &path,
                format!("length {len} runs past the end of the data ({} character(s) left)", chars.len() - vstart.min(chars.len())),
            ));
        }
        if out.iter().any(|f| f.id == id_s) {
            return Err(err(ErrorCode::DuplicateTag, pos, &path, format!("ID {id_s} appears twice at the same level")));
        }
        out.push(Field {
            id: id_s,
            path,
            pos,
            value_pos: base + vstart,
            value: chars[vstart..vend].iter().collect(),
            len,
            children: None,
        });
        i = vend;
    }
    Ok(out)
}

/// Parse the value of `field` as nested TLV and store the children.
pub fn parse_children(field: &mut Field, unit: LengthUnit) -> Result<(), ParseError> {
    let chars: Vec<char> = field.value.chars().collect();
    let kids = parse_level(&chars, field.value_pos, &field.path, unit)?;
    field.children = Some(kids);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_characters() {
        let c: Vec<char> = "0104最佳运输0202北京".chars().collect();
        let f = parse_level(&c, 0, "64", LengthUnit::Chars).unwrap();
        assert_eq!(f[0].value, "最佳运输");
        assert_eq!(f[1].value, "北京");
        assert_eq!(f[1].pos, 8);
        assert_eq!(f[1].path, "64.02");
    }

    #[test]
    fn errors_are_typed() {
        let c: Vec<char> = "0102ab03".chars().collect();
        let e = parse_level(&c, 10, "", LengthUnit::Chars).unwrap_err();
        assert_eq!((e.code, e.position), (ErrorCode::Truncated, 16));
        let c: Vec<char> = "0102ab0102cd".chars().collect();
        let e = parse_level(&c, 0, "", LengthUnit::Chars).unwrap_err();
        assert_eq!((e.code, e.position, e.tag.as_deref()), (ErrorCode::DuplicateTag, 6, Some("01")));
        let c: Vec<char> = "01x2ab".chars().collect();
        assert_eq!(parse_level(&c, 0, "", LengthUnit::Chars).unwrap_err().code, ErrorCode::BadLength);
        let c: Vec<char> = "0105ab".chars().collect();
        assert_eq!(parse_level(&c, 0, "", LengthUnit::Chars).unwrap_err().code, ErrorCode::Truncated);
        let c: Vec<char> = "０102ab".chars().collect();
        assert_eq!(parse_level(&c, 0, "", LengthUnit::Chars).unwrap_err().code, ErrorCode::BadTag);
    }
}
