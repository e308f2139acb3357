package dev.raceway.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.VectorClock;
import dev.raceway.sdk.FakeTransport;
import dev.raceway.sdk.RacewayStats;
import dev.raceway.sdk.transport.EventTransport;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The sender's lifecycle (NEW → RUNNING → CLOSING → CLOSED) and accounting, over a fake transport. */
class EventSenderTest {
    private final Counters counters = new Counters();

    private static TransportSettings settings(int batchSize, int queueCapacity) {
        return new TransportSettings(false, batchSize, 1 << 20, Duration.ofMillis(20), queueCapacity, 2,
                Integer.MAX_VALUE, Duration.ofSeconds(5), Duration.ofMillis(1), Duration.ofMillis(5));
    }

    private static Event event() {
        return new Event(Ids.randomUuid(), UUID.randomUUID(), Optional.empty(), Instant.now(),
                new EventKind.Custom("tick", FastJson.of(1)), EventMetadata.of("java-1-0000abcd", 1, "svc", "test"),
                VectorClock.of("svc#1/java-1-0000abcd", 1), List.of());
    }

    private static long threadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name) && t.isAlive())
                .count();
    }

    @Test
    void aSenderThatNeverRanGoesFromNewStraightToClosedAndStartsNoThread() {
        long before = threadsNamed("raceway-flusher");
        FakeTransport fake = new FakeTransport();
        EventSender sender = new EventSender(settings(10, 100), fake, counters);
        assertThat(sender.state()).isEqualTo(EventSender.State.NEW);
        assertThat(sender.flush(Duration.ofMillis(10))).isTrue();
        sender.close(Duration.ofSeconds(1));
        assertThat(sender.state()).isEqualTo(EventSender.State.CLOSED);
        assertThat(fake.closed()).isTrue();
        assertThat(threadsNamed("raceway-flusher")).isEqualTo(before);
        assertThat(sender.offer(event())).isFalse();
        assertThat(sender.stats()).isEqualTo(new RacewayStats(0, 0, 1, 0, 0, 0, 0, 0));
    }

    @Test
    void theFirstOfferStartsItCloseSendsWhatIsQueuedAndLaterOffersAreDropped() {
        FakeTransport fake = new FakeTransport();
        EventSender sender = new EventSender(settings(10, 100), fake, counters);
        for (int i = 0; i < 25; i++) {
            assertThat(sender.offer(event())).isTrue();
        }
        assertThat(sender.state()).isEqualTo(EventSender.State.RUNNING);
        sender.close(Duration.ofSeconds(5));
        assertThat(sender.state()).isEqualTo(EventSender.State.CLOSED);
        assertThat(fake.received()).hasSize(25);
        assertThat(fake.closed()).isTrue();
        assertThat(sender.offer(event())).isFalse();
        sender.close(Duration.ofSeconds(5)); // only the first close does anything
        assertThat(sender.stats()).extracting(RacewayStats::queued, RacewayStats::sent, RacewayStats::dropped)
                .containsExactly(25L, 25L, 1L);
    }

    @Test
    void transportFailuresAreRetriedThroughTheSeam() {
        FakeTransport fake = new FakeTransport().then(new ConnectException("refused"), new IOException("reset"));
        EventSender sender = new EventSender(settings(10, 100), fake, counters);
        sender.offer(event());
        assertThat(sender.flush(Duration.ofSeconds(5))).isTrue();
        assertThat(fake.posts()).isEqualTo(3);
        assertThat(fake.received()).hasSize(1);
        assertThat(sender.stats()).extracting(RacewayStats::sent, RacewayStats::retried, RacewayStats::failed)
                .containsExactly(1L, 2L, 0L);
        sender.close(Duration.ofSeconds(1));
    }

    /** Offers racing with close: every offer is sent or counted as dropped, none is lost uncounted. */
    @Test
    void offersRacingWithCloseAreEachSentOrCountedAsDropped() throws Exception {
        for (int round = 0; round < 20; round++) {
            Counters c = new Counters();
            FakeTransport fake = new FakeTransport();
            EventSender sender = new EventSender(settings(50, 100_000), fake, c);
            int threads = 3;
            AtomicInteger offered = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread th = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 2_000; i++) {
                        sender.offer(event());
                        offered.incrementAndGet();
                    }
                });
                th.start();
                ts.add(th);
            }
            go.countDown();
            sender.close(Duration.ofSeconds(5));
            for (Thread th : ts) {
                th.join();
            }
            RacewayStats s = sender.stats();
            assertThat(s.sent() + s.dropped()).as("round %d: %s", round, s).isEqualTo(offered.get());
            assertThat(fake.received()).hasSize((int) s.sent());
        }
    }

    @Test
    void theClientPicksOkHttpWhenItIsOnTheClassPath() {
        EventTransport.Factory automatic = Transports.automatic();
        assertThat(Transports.automaticName()).isEqualTo("okhttp");
        assertThat(automatic).isNotNull();
        assertThat(Transports.okHttpPresent(new ClassLoader(null) {
        })).as("a loader without OkHttp").isFalse();
    }
}
