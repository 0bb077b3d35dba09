//! Reading TOML with positions: syntax errors keep line and column, unknown keys are found all
//! at once (with a "did you mean" from the keys the section accepts) and located in the file.

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use toml::de::{DeTable, DeValue};

use crate::error::{Diagnostic, Error, Result};

/// Line and column (1-based) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rfind('\n').map_or(before.chars().count(), |nl| {
        before[nl + 1..].chars().count()
    }) + 1;
    (line, column)
}

/// One step of a path into a TOML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A table key.
    Key(String),
    /// An array index.
    Index(usize),
}

/// Human path: `queue[1].aht`.
pub fn path_string(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

fn segments(path: &serde_ignored::Path<'_>, out: &mut Vec<Segment>) {
    use serde_ignored::Path;
    match path {
        Path::Root => {}
        Path::Seq { parent, index } => {
            segments(parent, out);
            out.push(Segment::Index(*index));
        }
        Path::Map { parent, key } => {
            segments(parent, out);
            out.push(Segment::Key(key.clone()));
        }
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => segments(parent, out),
    }
}

/// Byte span of the key at `path` in the document, if it can be found.
fn key_span(root: &DeTable<'_>, path: &[Segment]) -> Option<std::ops::Range<usize>> {
    let (last, parents) = path.split_last()?;
    let mut table = root;
    let mut iter = parents.iter().peekable();
    while let Some(segment) = iter.next() {
        let Segment::Key(key) = segment else {
            return None;
        };
        let value = table.get(key.as_str())?;
        let mut value = value.get_ref();
        if let Some(Segment::Index(i)) = iter.peek() {
            let DeValue::Array(array) = value else {
                return None;
            };
            value = array.get(*i)?.get_ref();
            iter.next();
        }
        let DeValue::Table(inner) = value else {
            return None;
        };
        table = inner;
    }
    let Segment::Key(key) = last else {
        return None;
    };
    table
        .keys()
        .find(|k| k.get_ref().as_ref() == key.as_str())
        .map(|k| k.span())
}

/// Field names a struct accepts, read from its `Deserialize` implementation.
pub fn fields_of<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    struct FieldProbe;
    #[derive(Debug)]
    struct Found(&'static [&'static str]);
    impl std::fmt::Display for Found {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "fields")
        }
    }
    impl std::error::Error for Found {}
    impl de::Error for Found {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Found(&[])
        }
    }
    impl<'de> Deserializer<'de> for FieldProbe {
        type Error = Found;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> std::result::Result<V::Value, Found> {
            Err(Found(&[]))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> std::result::Result<V::Value, Found> {
            Err(Found(fields))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }
    match T::deserialize(FieldProbe) {
        Err(Found(fields)) => fields,
        Ok(_) => &[],
    }
}

/// Longest word for which a "did you mean" is looked for: no key, column or id is longer, and
/// comparing a damaged 200 MB cell with every candidate would take minutes.
pub const MAX_SUGGESTED_LEN: usize = 128;

/// The closest accepted key to `key`, if any is close.
pub fn closest<'a>(key: &str, candidates: &[&'a str]) -> Option<&'a str> {
    if key.len() > MAX_SUGGESTED_LEN {
        return None;
    }
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(key, c), *c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Parses `text` as TOML into `T`, reporting syntax errors with line and column and every
/// unknown key (code `S1002`). `known_keys` gives the accepted keys of the table at a path
/// (used for suggestions; return an empty slice when unknown). `source` names the file.
pub fn parse_document<T>(
    text: &str,
    source: &str,
    known_keys: impl Fn(&[Segment]) -> &'static [&'static str],
) -> Result<T>
where
    T: for<'de> Deserialize<'de>,
{
    let (root, syntax_errors) = DeTable::parse_recoverable(text);
    if !syntax_errors.is_empty() {
        let diagnostics = syntax_errors
            .iter()
            .map(|e| {
                let place = match e.span() {
                    Some(span) => {
                        let (line, column) = line_column(text, span.start);
                        format!("{source}:{line}:{column}")
                    }
                    None => source.to_string(),
                };
                Diagnostic::new(
                    "S1001",
                    place,
                    format!("TOML syntax error: {}", e.message().trim()),
                    "fix the TOML syntax at that line (strings need quotes, tables [name], \
                     arrays of tables [[name]])",
                )
            })
            .collect();
        return Err(Error::Input(diagnostics));
    }
    let mut unknown: Vec<Vec<Segment>> = Vec::new();
    let deserializer = toml::de::Deserializer::from(root);
    let parsed: std::result::Result<T, _> = serde_ignored::deserialize(deserializer, |path| {
        let mut out = Vec::new();
        segments(&path, &mut out);
        unknown.push(out);
    });
    let (root, _) = DeTable::parse_recoverable(text);
    let root = root.into_inner();
    let mut diagnostics = Vec::new();
    for path in &unknown {
        let place = match key_span(&root, path) {
            Some(span) => {
                let (line, column) = line_column(text, span.start);
                format!("{source}:{line}:{column} {}", path_string(path))
            }
            None => format!("{source} {}", path_string(path)),
        };
        let key = match path.last() {
            Some(Segment::Key(k)) => k.clone(),
            _ => path_string(path),
        };
        let parent = &path[..path.len().saturating_sub(1)];
        let accepted = known_keys(parent);
        let fix = match closest(&key, accepted) {
            Some(best) => format!("did you mean `{best}`? (rename the key or remove it)"),
            None if !accepted.is_empty() => {
                format!(
                    "remove the key; accepted keys here: {}",
                    accepted.join(", ")
                )
            }
            None => "remove the key".to_string(),
        };
        diagnostics.push(Diagnostic::new(
            "S1002",
            place,
            format!("unknown key `{key}`"),
            fix,
        ));
    }
    match parsed {
        Ok(value) if diagnostics.is_empty() => Ok(value),
        Ok(_) => Err(Error::Input(diagnostics)),
        Err(e) => {
            let place = match e.span() {
                Some(span) => {
                    let (line, column) = line_column(text, span.start);
                    format!("{source}:{line}:{column}")
                }
                None => source.to_string(),
            };
            diagnostics.push(Diagnostic::new(
                "S1004",
                place,
                e.message().trim().replace('\n', " "),
                "give the value the expected type (numbers without quotes, durations and \
                 names in quotes, e.g. aht = \"180s\")",
            ));
            Err(Error::Input(diagnostics))
        }
    }
}
