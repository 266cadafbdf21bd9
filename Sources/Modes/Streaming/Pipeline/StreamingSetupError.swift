/// The queue a pipeline was given cannot carry it as it is.
public enum StreamingSetupError: Error, Equatable, CustomStringConvertible {
    /// The window stage's subscription exists with leased delivery: the queue was set up by a
    /// `rehearse` from before the window stage read in order (its delivery cannot change, and
    /// replacing it would lose the stage's place in the stream).
    case leasedWindowsSubscription(String)

    public var description: String {
        switch self {
        case .leasedWindowsSubscription(let name):
            "the queue's subscription \"\(name)\" was made by an older rehearse, with leased delivery; the window stage now "
                + "reads it in order, and a subscription's delivery cannot change. Start with a fresh --root (this one's sink "
                + "and queue belong together, so do not remove only queue.sqlite)"
        }
    }
}
