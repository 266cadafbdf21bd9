/// One line of a streamed body, as `LineStream` hands it over: the bytes between two `\n`, a
/// trailing `\r` removed.
public enum StreamedLine: Sendable, Equatable {
    /// An empty line (`\r\n` or `\n`): a keep-alive heartbeat.
    case heartbeat
    /// A line with at least one byte, without its line end. The slice shares the stream's
    /// buffer (no copy per line); its indices are not zero-based.
    case line(ArraySlice<UInt8>)
    /// Every line received so far has been handed over: sent once libcurl has passed on all it
    /// read in one pass over the connection (whatever had arrived, read up to 256 KiB at a
    /// time), when that pass ended at least one line. A consumer that collects lines acts on
    /// them here, so none waits for more bytes.
    case caughtUp
}

/// What a `LineStream` does after handing over a line.
public enum LineStreamAction: Sendable, Equatable {
    /// Go on with the next line.
    case `continue`
    /// Stop: the transfer is aborted at once, its connection closed, and the stream ends with
    /// `LineStreamEnd.stoppedByClient`. No further line is handed over.
    case stop
}
