//! Reading CSV exports from ACD, helpdesk and HR systems: the delimiter is detected from the
//! header line (`,`, `;` as European spreadsheets write, or tab), a UTF-8 byte-order mark is
//! skipped, CRLF line ends, quoted fields and trailing blank lines are accepted.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::error::{Error, Result};

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
    std::fs::read_to_string(path).map_err(|e| Error::io(path, e))
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

#[cfg(test)]
mod tests {
    use super::*;

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
