package dev.raceway.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RacewayContextTest {
    private RecordingSink sink;
    private RacewayClient client;

    @BeforeEach
    void start() throws Exception {
        sink = new RecordingSink();
        client = RacewayClient.builder(sink.endpoint(), "svc").instanceId("i1")
                .flushInterval(Duration.ofMillis(50)).build();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        sink.close();
    }

    @Test
    void aContextIsCurrentOnlyInsideItsScope() {
        assertThat(RacewayContext.current()).isEmpty();
        RacewayContext ctx = client.newTrace();
        try (Scope ignored = ctx.makeCurrent()) {
            assertThat(RacewayContext.current()).containsSame(ctx);
        }
        assertThat(RacewayContext.current()).isEmpty();
    }

    @Test
    void everyContextCountsUpAClockComponentOfItsOwn() {
        String caller = client.propagationHeaders(client.newTrace(), Map.of()).get("raceway-clock");
        RacewayContext a = client.startRequest(h -> h.equals("raceway-clock") ? caller : null);
        RacewayContext b = client.startRequest(h -> h.equals("raceway-clock") ? caller : null);
        RacewayContext root = client.newTrace();
        RacewayContext fork = a.fork();
        List<RacewayContext> all = List.of(a, b, root, fork);
        assertThat(all).allSatisfy(c -> assertThat(c.clockComponent()).isEqualTo("svc#i1/" + c.threadId()));
        assertThat(all.stream().map(RacewayContext::clockComponent).distinct()).hasSize(4);
        assertThat(all).allSatisfy(c -> assertThat(c.clock().get("svc#i1")).isEmpty());

        // Two requests of one process with the same caller clock, one step each: concurrent, not ordered.
        try (Scope ignored = a.makeCurrent()) {
            client.trackStateChange("stock", 7, 6, AccessType.Write);
        }
        try (Scope ignored = b.makeCurrent()) {
            client.trackStateChange("stock", 7, 6, AccessType.Write);
        }
        assertThat(a.clock().isConcurrentWith(b.clock())).isTrue();
    }

    @Test
    void aWrappedExecutorRunsEachTaskInAForkThatDescendsFromTheSpawnPoint() throws Exception {
        ExecutorService pool = RacewayContext.taskWrapping(Executors.newFixedThreadPool(2));
        RacewayContext ctx = client.newTrace();
        try (Scope ignored = ctx.makeCurrent()) {
            client.trackStateChange("balance", null, 100, AccessType.Read); // the spawn point
            CountDownLatch bothStarted = new CountDownLatch(2);
            List<Future<String>> forks = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                forks.add(pool.submit(() -> {
                    bothStarted.countDown();
                    bothStarted.await(10, TimeUnit.SECONDS);
                    RacewayContext mine = RacewayContext.current().orElseThrow();
                    client.trackStateChange("balance", 100, 90, AccessType.Write);
                    client.trackStateChange("balance", 90, 80, AccessType.Write);
                    return mine.threadId();
                }));
            }
            for (Future<String> f : forks) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isNotEqualTo(ctx.threadId());
            }
            client.trackStateChange("balance", 80, 70, AccessType.Write); // parent continues after the forks
        } finally {
            pool.shutdown();
        }
        assertThat(client.flush(Duration.ofSeconds(10))).isTrue();
        List<Event> events = sink.awaitAccepted(6, 10);
        // Batches are sent two at a time, so arrival order is not program order: order each thread by its clock.
        Map<String, List<Event>> byThread = events.stream()
                .sorted(java.util.Comparator.comparingLong(e -> e.causalityVector().entries().stream()
                        .mapToLong(dev.raceway.core.event.ClockEntry::value).sum()))
                .collect(Collectors.groupingBy(e -> e.metadata().threadId()));
        Event spawnPoint = byThread.get(ctx.threadId()).get(0);
        assertThat(byThread).hasSize(3);
        Event parentAfter = byThread.get(ctx.threadId()).get(1);
        byThread.forEach((thread, evs) -> {
            assertThat(evs).allSatisfy(e -> assertThat(e.traceId()).isEqualTo(ctx.traceId()));
            if (thread.equals(ctx.threadId())) {
                return;
            }
            assertThat(evs).hasSize(2);
            assertThat(evs.get(0).parentId()).contains(spawnPoint.id());
            assertThat(evs.get(1).parentId()).contains(evs.get(0).id());
            assertThat(spawnPoint.causalityVector().happenedBefore(evs.get(0).causalityVector())).isTrue();
            // Work done in parallel is not ordered by the clocks, so it can be seen to race.
            for (Event e : evs) {
                assertThat(e.causalityVector().isConcurrentWith(parentAfter.causalityVector())).isTrue();
            }
        });
        List<String> forkThreads = byThread.keySet().stream().filter(t -> !t.equals(ctx.threadId())).toList();
        for (Event a : byThread.get(forkThreads.get(0))) {
            for (Event b : byThread.get(forkThreads.get(1))) {
                assertThat(a.causalityVector().isConcurrentWith(b.causalityVector())).isTrue();
            }
        }
    }

    @Test
    void contextIsNotLeakedBetweenTasksOnAPooledThread() throws Exception {
        ExecutorService single = Executors.newSingleThreadExecutor();
        ExecutorService wrapped = RacewayContext.taskWrapping(single);
        try {
            try (Scope ignored = client.newTrace().makeCurrent()) {
                assertThat(wrapped.submit(() -> RacewayContext.current().isPresent()).get()).isTrue();
            }
            // Same pool thread, submitted from outside any context: sees none.
            assertThat(wrapped.submit(() -> RacewayContext.current().isPresent()).get()).isFalse();
            assertThat(single.submit(() -> RacewayContext.current().isPresent()).get()).isFalse();
            // A task that opens a scope and forgets nothing: the thread is clean afterwards.
            single.submit(() -> {
                try (Scope ignored = client.newTrace().makeCurrent()) {
                    client.trackFunctionCall("inside", null);
                }
            }).get();
            assertThat(single.submit(() -> RacewayContext.current().isPresent()).get()).isFalse();
        } finally {
            single.shutdown();
        }
    }

    @Test
    void aContextHandedThroughAQueueContinuesTheSameTraceInTheWorker() throws Exception {
        BlockingQueue<Optional<RacewayContext>> jobs = new ArrayBlockingQueue<>(1);
        Thread worker = new Thread(() -> {
            try {
                Optional<RacewayContext> job = jobs.take();
                try (Scope ignored = job.orElseThrow().fork().makeCurrent()) {
                    client.trackFunctionCall("worker_process_job", "data");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        worker.start();
        RacewayContext ctx = client.newTrace();
        try (Scope ignored = ctx.makeCurrent()) {
            client.trackFunctionCall("enqueue_job", null);
            jobs.put(RacewayContext.current());
        }
        worker.join(10_000);
        assertThat(client.flush(Duration.ofSeconds(10))).isTrue();
        List<Event> events = sink.awaitAccepted(2, 10);
        assertThat(events).allSatisfy(e -> assertThat(e.traceId()).isEqualTo(ctx.traceId()));
        assertThat(events.get(1).parentId()).contains(events.get(0).id());
        assertThat(events.get(1).metadata().threadId()).isNotEqualTo(events.get(0).metadata().threadId());
    }

    @Test
    void wrappedRunnablesAndCallablesFork() throws Exception {
        RacewayContext ctx = client.newTrace();
        Runnable r;
        try (Scope ignored = ctx.makeCurrent()) {
            r = RacewayContext.wrapCurrent(() -> client.trackFunctionCall("r", null));
        }
        Thread t = new Thread(r);
        t.start();
        t.join();
        assertThat(RacewayContext.wrapCurrent(() -> RacewayContext.current().isPresent()).call()).isFalse();
        assertThat(ctx.wrap(() -> RacewayContext.current().orElseThrow().traceId()).call()).isEqualTo(ctx.traceId());
        assertThat(client.flush(Duration.ofSeconds(10))).isTrue();
        Event e = sink.awaitAccepted(1, 10).get(0);
        assertThat(e.traceId()).isEqualTo(ctx.traceId());
        assertThat(e.metadata().threadId()).isNotEqualTo(ctx.threadId());
    }
}
