//! The core's typed errors. Every message says what went wrong and, where
//! the user can act, how to fix it.

use std::fmt;

/// A problem in input data (nomenclature files, lexicon, examples), with
/// the file and line where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    /// File or source name.
    pub source: String,
    /// 1-based line number, where known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

/// Errors of the preclass core.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// The bytes do not start with the index magic label.
    NotAnIndex {
        /// The first bytes found (at most 8).
        found: Vec<u8>,
    },
    /// The index was written in a format version this library cannot read.
    Version {
        /// The version this library reads.
        expected: u32,
        /// The version in the file.
        got: u32,
        /// The generator that wrote the file, if readable.
        generator: String,
    },
    /// The file is shorter than its header says.
    Truncated {
        /// Bytes the header declares.
        expected: u64,
        /// Bytes present.
        got: u64,
    },
    /// The body's checksum does not match the header.
    Checksum {
        /// Checksum in the header.
        expected: u32,
        /// Checksum of the bytes present.
        got: u32,
    },
    /// The checksum matched but a section is inconsistent (a bug in the writer
    /// or a deliberately crafted file).
    Corrupt(String),
    /// Input data could not be read.
    Data(DataError),
    /// The query has nothing to classify.
    EmptyQuery,
    /// The query is longer than the classifier accepts.
    QueryTooLong {
        /// Bytes in the query.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A query or option field is malformed.
    BadQuery(String),
    /// A code is malformed or does not exist in the index.
    InvalidCode {
        /// The code as given.
        code: String,
        /// Why it is invalid.
        reason: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NotAnIndex { found } => write!(
                f,
                "not a preclass index (the file starts with {found:02x?}); pass a file written by `preclass build-index`"
            ),
            Error::Version { expected, got, generator } => write!(
                f,
                "index format version {got} (written by {generator}) but this preclass reads version {expected}; \
                 rebuild the index with `preclass build-index` from this version"
            ),
            Error::Truncated { expected, got } => write!(
                f,
                "index file is truncated: the header declares {expected} bytes but {got} are present; \
                 copy or download it again, or rebuild it with `preclass build-index`"
            ),
            Error::Checksum { expected, got } => write!(
                f,
                "index file is corrupt: checksum {got:08x} does not match {expected:08x} in its header; \
                 copy or download it again, or rebuild it with `preclass build-index`"
            ),
            Error::Corrupt(what) => write!(f, "index file is corrupt ({what}); rebuild it with `preclass build-index`"),
            Error::Data(e) => match e.line {
                Some(line) => write!(f, "{}: line {line}: {}", e.source, e.message),
                None => write!(f, "{}: {}", e.source, e.message),
            },
            Error::EmptyQuery => write!(f, "the query has no words to classify: describe the product in `text`"),
            Error::QueryTooLong { len, max } => {
                write!(f, "the query is {len} bytes; descriptions of up to {max} bytes are accepted")
            }
            Error::BadQuery(msg) => write!(f, "bad query: {msg}"),
            Error::InvalidCode { code, reason } => write!(f, "invalid code {code:?}: {reason}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<DataError> for Error {
    fn from(e: DataError) -> Self {
        Error::Data(e)
    }
}
