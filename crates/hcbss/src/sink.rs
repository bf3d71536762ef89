//! Where `hcbss` writes: stdout through one buffer, and stderr without ever panicking.
//!
//! `println!` and `eprintln!` panic when their stream is a closed pipe (Rust ignores SIGPIPE, so
//! a write to a pipe whose reader has gone fails with `BrokenPipe`). Everything `hcbss` prints
//! goes through [`Stdout`] instead, and a closed stdout ends the command quietly with
//! [`EXIT_CLOSED_PIPE`]; diagnostics go through [`crate::note!`], which drops what stderr
//! cannot take.

use std::io::{self, BufWriter, StdoutLock, Write};
use std::process::ExitCode;

/// Exit code when stdout was closed before everything was written (`hcbss … | head`): 141, what
/// a shell reports for a program ended by SIGPIPE (128 + 13), so that `set -o pipefail` scripts
/// see that not every record reached the reader, as they would with `cat` or `grep`. Nothing is
/// printed.
pub const EXIT_CLOSED_PIPE: u8 = 141;

/// Exit code when stdout refused the output for another reason (a full disk): the answer was
/// received but could not be written.
pub const EXIT_WRITE_FAILED: u8 = 1;

/// The size of the stdout buffer: large enough that a page of records is one `write`.
const BUFFER: usize = 64 * 1024;

/// Stdout, locked once and buffered.
pub struct Stdout {
    inner: BufWriter<StdoutLock<'static>>,
}

impl Stdout {
    /// Locks stdout for the rest of the command.
    pub fn lock() -> Stdout {
        Stdout {
            inner: BufWriter::with_capacity(BUFFER, io::stdout().lock()),
        }
    }

    /// Flushes what is buffered: the end of the command's output.
    pub fn finish(mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.inner.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The exit code of a failed write to stdout. A closed pipe is the reader's choice, not a
/// failure to explain: nothing is printed. Anything else is said on stderr.
pub fn write_failed(err: &io::Error) -> ExitCode {
    if err.kind() == io::ErrorKind::BrokenPipe {
        return ExitCode::from(EXIT_CLOSED_PIPE);
    }
    crate::note!("error: writing to stdout: {err}");
    ExitCode::from(EXIT_WRITE_FAILED)
}

/// Whether `err` means the reader of stdout has gone.
pub fn is_closed_pipe(err: &io::Error) -> bool {
    err.kind() == io::ErrorKind::BrokenPipe
}

/// Writes one line to stderr, like `eprintln!`, but drops it instead of panicking when stderr
/// is a closed pipe.
#[macro_export]
macro_rules! note {
    ($($arg:tt)*) => {{
        use ::std::io::Write as _;
        let _ = ::std::writeln!(::std::io::stderr().lock(), $($arg)*);
    }};
}
