//! Reading the bench CSV files: a lenient `csv` reader, the header's column positions, fields
//! as text, and the 1-based line number of each record. Generic over the reader, so the same
//! code reads a file during an import and bytes in memory in [`crate::check_bench_events`].

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use csv::ByteRecord;

use crate::error::StoreError;
use crate::import::job::io_error;

/// A CSV reader over a file: no header handling of its own, rows of any width.
pub(crate) fn csv_reader(path: &Path) -> Result<csv::Reader<BufReader<File>>, StoreError> {
    let file = File::open(path).map_err(|e| io_error(path, &e))?;
    Ok(csv_from(BufReader::with_capacity(1 << 20, file)))
}

/// The same reader over anything readable.
pub(crate) fn csv_from<R: Read>(reader: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(reader)
}

/// Reads the header and returns the position of each wanted column.
pub(crate) fn header<R: Read>(
    reader: &mut csv::Reader<R>,
    path: &Path,
    columns: &[&str],
) -> Result<Vec<usize>, StoreError> {
    let mut record = ByteRecord::new();
    if !read(reader, &mut record, path)? {
        return Err(StoreError::InvalidInput(format!("{} is empty", path.display())));
    }
    let names: Vec<String> = record
        .iter()
        .map(|f| {
            String::from_utf8_lossy(f)
                .trim()
                .trim_start_matches('\u{feff}')
                .to_owned()
        })
        .collect();
    columns
        .iter()
        .map(|want| {
            names.iter().position(|n| n == want).ok_or_else(|| {
                StoreError::InvalidInput(format!(
                    "{}: no column {want:?} in the header (found {})",
                    path.display(),
                    names.join(",")
                ))
            })
        })
        .collect()
}

/// The next record into `record`; `false` at the end.
pub(crate) fn read<R: Read>(
    reader: &mut csv::Reader<R>,
    record: &mut ByteRecord,
    path: &Path,
) -> Result<bool, StoreError> {
    reader.read_byte_record(record).map_err(|e| csv_error(path, e))
}

/// The wanted fields of a record as text, or why not.
pub(crate) fn fields<'r>(record: &'r ByteRecord, index: &[usize]) -> Result<Vec<&'r str>, String> {
    index
        .iter()
        .map(|&i| {
            let raw = record
                .get(i)
                .ok_or_else(|| format!("expected at least {} columns, found {}", i + 1, record.len()))?;
            std::str::from_utf8(raw).map_err(|_| format!("column {} is not valid UTF-8", i + 1))
        })
        .collect()
}

pub(crate) fn csv_error(path: &Path, err: csv::Error) -> StoreError {
    StoreError::Io(format!("cannot read {}: {err}", path.display()))
}

/// Line numbers of CSV records. The csv crate's own count is off by one after CRLF line ends
/// (what Python's csv module writes): a record's start offset points at the `\n` of the line
/// before. This reads the input alongside and counts line ends up to a record's first byte:
/// `\n`, `\r\n` and a lone `\r`, the three the csv reader ends records at.
pub(crate) struct LineCounter<R> {
    reader: R,
    offset: u64,
    newlines: u64,
    /// Whether the last byte counted was a `\r` (so a `\n` right after it ends no new line).
    after_cr: bool,
}

impl LineCounter<BufReader<File>> {
    pub(crate) fn open(path: &Path) -> Result<Self, StoreError> {
        let file = File::open(path).map_err(|e| io_error(path, &e))?;
        Ok(Self::new(BufReader::with_capacity(1 << 16, file)))
    }
}

impl<R: BufRead> LineCounter<R> {
    pub(crate) fn new(reader: R) -> Self {
        Self {
            reader,
            offset: 0,
            newlines: 0,
            after_cr: false,
        }
    }

    /// The 1-based line of the record whose (csv) start offset is `start`: line ends and blank
    /// lines at `start` belong before it. Offsets must not decrease.
    pub(crate) fn line_at(&mut self, start: u64) -> std::io::Result<u64> {
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            let before = usize::try_from(start.saturating_sub(self.offset)).unwrap_or(usize::MAX);
            let take = if before > 0 {
                before.min(buf.len())
            } else {
                // At the record's offset: skip the line ends in front of its first field.
                match buf.iter().position(|&b| b != b'\n' && b != b'\r') {
                    Some(0) => break,
                    Some(n) => n,
                    None => buf.len(),
                }
            };
            for &b in &buf[..take] {
                if b == b'\r' || (b == b'\n' && !self.after_cr) {
                    self.newlines += 1;
                }
                self.after_cr = b == b'\r';
            }
            self.offset += take as u64;
            self.reader.consume(take);
        }
        Ok(self.newlines + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line of each record of `input`, as an import reports it.
    fn lines(input: &[u8]) -> Vec<u64> {
        let mut reader = csv_from(input);
        let mut counter = LineCounter::new(input);
        let mut record = ByteRecord::new();
        let mut out = Vec::new();
        while read(&mut reader, &mut record, Path::new("x.csv")).unwrap() {
            let start = record.position().map_or(0, csv::Position::byte);
            out.push(counter.line_at(start).unwrap());
        }
        out
    }

    #[test]
    fn lf_crlf_and_blank_lines_are_counted_like_an_editor() {
        assert_eq!(lines(b"h\na\nb\n"), [1, 2, 3]);
        assert_eq!(lines(b"h\r\na\r\n\r\nb\r\n"), [1, 2, 4]);
        assert_eq!(lines(b"h\n\"multi\nline\"\nb"), [1, 2, 4]);
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line_as_it_ends_a_record() {
        // Found by the bench_csv fuzz target: records after a lone CR were numbered as the
        // line before them (a data row reported on the header's line).
        assert_eq!(lines(b"h\ra\rb\r"), [1, 2, 3]);
        assert_eq!(lines(b"h\rtic\n1\r\n2"), [1, 2, 3, 4]);
    }
}
