import LocalCloud
import Modes
import Testing

/// `StreamingSettings.prepare`: the pipeline's topics and subscriptions, made once.
@Suite struct StreamingSettingsTests {
    @Test("prepare makes the topics and subscriptions, the windows one in order; a second prepare changes nothing")
    func prepareIsIdempotent() throws {
        let store = try StoreFixture()
        let queue = try SQLiteMessageQueue(path: store.root.path + "/queue.sqlite", clock: store.clock)
        let settings = StreamingSettings()
        try settings.prepare(queue)
        let made = try queue.subscriptions()
        try settings.prepare(queue)
        #expect(try queue.subscriptions() == made)
        #expect(try queue.topics().map(\.name) == ["sentiment-windows", "tweets", "tweets-dead-letters"])
        let delivery = Dictionary(uniqueKeysWithValues: made.map { ($0.name, $0.options.delivery) })
        #expect(delivery == ["tweets-workers": .leased, "tweets-windows": .inOrder,
                             "sentiment-windows": .leased, "tweets-dead-letters": .leased])
    }

    @Test("A leased windows subscription (an older rehearse's queue) is refused, naming it and what to do")
    func leasedWindowsSubscriptionIsRefused() throws {
        let store = try StoreFixture()
        let queue = try SQLiteMessageQueue(path: store.root.path + "/queue.sqlite", clock: store.clock)
        try queue.createTopic("tweets")
        try queue.createSubscription("tweets-windows", topic: "tweets")
        #expect(throws: StreamingSetupError.leasedWindowsSubscription("tweets-windows")) { try StreamingSettings().prepare(queue) }
        let message = StreamingSetupError.leasedWindowsSubscription("tweets-windows").description
        #expect(message.contains("\"tweets-windows\"") && message.contains("fresh --root"))
        // Left as it was: still leased.
        #expect(try queue.subscriptions().first { $0.name == "tweets-windows" }?.options.delivery == .leased)
    }
}
