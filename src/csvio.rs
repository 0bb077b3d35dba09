//! Reading CSV exports from ACD, helpdesk and HR systems: the delimiter is detected from the
//! header line (`,`, `;` as European spreadsheets write, or tab), a UTF-8 byte-order mark is
//! skipped, CRLF line ends, quoted fields and trailing blank lines are accepted.
//!
//! Writing the CSV files of a plan: [`write_rows`] serializes rows of a `#[derive(Serialize)]`
//! type under the header of that type, written even when there are no rows; [`write_records`]
//! writes the files whose columns depend on the scenario (one per queue).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::time::{Horizon, format_local, format_utc};
use crate::units::format_number;

/// Largest hand-edited text file read whole (scenario TOML, agents, time off): 64 MiB.
pub const MAX_TEXT_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a text file that is read whole (a scenario, an agents or time-off list), refusing one
/// over [`MAX_TEXT_FILE_BYTES`] with `code` before reading it: such a file is not what it
/// claims to be (a wrong path, an export of the whole HR system).
pub fn read_text_file(path: &Path, code: &'static str) -> Result<String> {
    let size = std::fs::metadata(path)
        .map_err(|e| Error::io(path, e))?
        .len();
    if size > MAX_TEXT_FILE_BYTES {
        return Err(Error::input(
            code,
            path.display().to_string(),
            format!(
                "the file is {} MiB; files read whole are limited to {} MiB",
                size / (1024 * 1024),
                MAX_TEXT_FILE_BYTES / (1024 * 1024)
            ),
            "check the path; split the file or keep only the rows this plan needs",
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    String::from_utf8(bytes).map_err(|e| not_utf8(&path.display().to_string(), e.as_bytes()))
}

/// `O1003` for `bytes` (the content of the file `source`) that are not UTF-8: the line, the
/// byte offset and the offending bytes, with the fix (save as UTF-8).
pub fn not_utf8(source: &str, bytes: &[u8]) -> Error {
    let (offset, bad_len) = match std::str::from_utf8(bytes) {
        Ok(_) => (bytes.len(), 0),
        Err(e) => (
            e.valid_up_to(),
            e.error_len().unwrap_or(bytes.len() - e.valid_up_to()),
        ),
    };
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let shown: Vec<String> = bytes[offset..]
        .iter()
        .take(bad_len.clamp(1, 4))
        .map(|b| format!("0x{b:02X}"))
        .collect();
    let guess = if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        "the file is UTF-16 text (what some spreadsheets call \"Unicode text\")"
    } else {
        "the file was likely saved as Latin-1 or Windows-1252"
    };
    Error::input(
        "O1003",
        format!("{source}:{line}"),
        format!(
            "byte {} at byte offset {offset} (byte {} of line {line}) is not UTF-8; {guess}",
            shown.join(" "),
            offset - line_start + 1
        ),
        SAVE_AS_UTF8,
    )
}

/// The fix of every `O1003`.
const SAVE_AS_UTF8: &str = "save the file as UTF-8 (in a spreadsheet: Save As, CSV UTF-8; in an \
                            editor: encoding UTF-8) and run again";

/// `O1003` when a CSV reader's `error` is bad UTF-8 in the file `source`: the line, the field
/// and the byte offset where the row starts; `None` for any other error.
pub fn csv_not_utf8(error: &csv::Error, source: &str) -> Option<Error> {
    let csv::ErrorKind::Utf8 { pos, err } = error.kind() else {
        return None;
    };
    let line = pos.as_ref().map_or(1, csv::Position::line);
    let byte = pos.as_ref().map_or(0, csv::Position::byte);
    Some(Error::input(
        "O1003",
        format!("{source}:{line}"),
        format!(
            "field {} of line {line} (a row starting at byte offset {byte}) is not UTF-8 after \
             its first {} bytes; the file was likely saved as Latin-1 or Windows-1252",
            err.field() + 1,
            err.valid_up_to()
        ),
        SAVE_AS_UTF8,
    ))
}

/// The delimiter of a header line: the most frequent of `,`, `;` and tab outside quotes
/// (`,` when none appears).
pub fn sniff_delimiter(header: &[u8]) -> u8 {
    let line = header.split(|&b| b == b'\n').next().unwrap_or_default();
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &byte in line {
        match byte {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let candidates = [b',', b';', b'\t'];
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        candidates[best]
    }
}

/// A CSV reader over `reader` with the delimiter detected from its first line and a leading
/// byte-order mark skipped. Fields are trimmed; blank lines are skipped.
pub fn reader<R: Read>(reader: R) -> csv::Reader<BufReader<R>> {
    let mut buffered = BufReader::with_capacity(64 * 1024, reader);
    let delimiter = match buffered.fill_buf() {
        Ok(bytes) => {
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            sniff_delimiter(bytes)
        }
        Err(_) => b',',
    };
    if let Ok(bytes) = buffered.fill_buf() {
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            buffered.consume(3);
        }
    }
    csv::ReaderBuilder::new()
        .has_headers(true)
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .from_reader(buffered)
}

/// The header of CSV rows of type `T`: its serde field names (after `rename`), in order, read
/// from a serialized `T::default()`.
pub fn header<T: Serialize + Default>() -> csv::Result<csv::StringRecord> {
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.serialize(T::default())?;
    csv.flush()?;
    let mut written = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.get_ref().as_slice());
    let mut header = csv::StringRecord::new();
    written.read_record(&mut header)?;
    Ok(header)
}

/// Writes `rows` as CSV: first the header of `T` (see [`header`]), which is there even when
/// there are no rows (`csv` alone writes it with the first row only), then one record per row.
/// Errors name the file `name`.
pub fn write_rows<W: Write, T: Serialize + Default>(
    writer: W,
    name: &str,
    rows: impl IntoIterator<Item = T>,
) -> Result<()> {
    write_csv(writer, name, |csv| {
        csv.write_record(&header::<T>()?)?;
        for row in rows {
            csv.serialize(row)?;
        }
        Ok(())
    })
}

/// Writes `header` and `records` as CSV, for the files whose columns depend on the scenario
/// (one per queue), which no row type describes. Errors name the file `name`.
pub fn write_records<W, H, R>(
    writer: W,
    name: &str,
    header: H,
    records: impl IntoIterator<Item = R>,
) -> Result<()>
where
    W: Write,
    H: IntoIterator<Item: AsRef<[u8]>>,
    R: IntoIterator<Item: AsRef<[u8]>>,
{
    write_csv(writer, name, |csv| {
        csv.write_record(header)?;
        for record in records {
            csv.write_record(record)?;
        }
        Ok(())
    })
}

/// Runs `write` on a CSV writer over `writer` (no automatic header) and flushes it; errors
/// name the file `name`.
fn write_csv<W: Write>(
    writer: W,
    name: &str,
    write: impl FnOnce(&mut csv::Writer<W>) -> csv::Result<()>,
) -> Result<()> {
    let path = Path::new(name);
    let mut csv = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(writer);
    write(&mut csv).map_err(|e| Error::io(path, std::io::Error::other(e)))?;
    csv.flush().map_err(|e| Error::io(path, e))
}

/// The cell of a number that may be absent: [`format_number`] with `decimals`, empty for `None`.
pub fn optional_number(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(String::new, |v| format_number(v, decimals))
}

/// The `interval_start` (UTC) and `local_start` cells of every interval of `horizon`, for the
/// files with one row per interval (per queue).
pub fn interval_cells(horizon: &Horizon) -> Vec<(String, String)> {
    (0..horizon.len())
        .map(|i| {
            let start = horizon.start(i);
            (format_utc(start), format_local(start, horizon.zone()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default, Serialize)]
    struct Row<'a> {
        queue: &'a str,
        #[serde(rename = "volume_low")]
        low: String,
        agents: u32,
    }

    #[test]
    fn rows_are_written_under_their_header_even_when_there_are_none() {
        let mut bytes = Vec::new();
        write_rows(&mut bytes, "x.csv", Vec::<Row>::new()).unwrap();
        assert_eq!(bytes, b"queue,volume_low,agents\n");
        let mut bytes = Vec::new();
        let rows = [
            Row {
                queue: "sales, EU",
                low: String::new(),
                agents: 3,
            },
            Row {
                queue: "support",
                low: "1.5".into(),
                agents: 0,
            },
        ];
        write_rows(&mut bytes, "x.csv", rows).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            text,
            "queue,volume_low,agents\n\"sales, EU\",,3\nsupport,1.5,0\n"
        );
    }

    #[test]
    fn delimiters_are_detected_from_the_header() {
        assert_eq!(sniff_delimiter(b"interval_start,queue,volume\n1;2,3"), b',');
        assert_eq!(sniff_delimiter(b"interval_start;queue;volume\n"), b';');
        assert_eq!(sniff_delimiter(b"a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter(b"\"a;b\",c"), b',');
        assert_eq!(sniff_delimiter(b"single"), b',');
    }

    #[test]
    fn oversized_text_files_are_refused_before_reading() {
        let dir = std::env::temp_dir().join(format!("staffplan-csvio-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("scenario.toml");
        // Sparse: 65 MiB on paper, nothing on disk.
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(MAX_TEXT_FILE_BYTES + 1024 * 1024).unwrap();
        let err = read_text_file(&path, "S1020").unwrap_err();
        assert_eq!(err.codes(), ["S1020"]);
        assert!(err.to_string().contains("65 MiB"), "{err}");
        std::fs::write(&path, "[plan]\n").unwrap();
        assert_eq!(read_text_file(&path, "S1020").unwrap(), "[plan]\n");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn bom_crlf_quotes_and_blank_lines_are_read() {
        let text = "\u{feff}id;name\r\n1;\"Silva; Ana\"\r\n\r\n2;Ben\r\n\r\n";
        let mut csv = reader(text.as_bytes());
        assert_eq!(csv.headers().unwrap(), vec!["id", "name"]);
        let rows: Vec<csv::StringRecord> = csv.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[0][1], "Silva; Ana");
    }
}
