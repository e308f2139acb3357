package dev.raceway.programs;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.Future;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.IntStream;

/**
 * Small plain programs with no tracking calls, run by the end-to-end tests in their own JVM under the agent. Each
 * scenario uses classes of its own, so its variables are told apart in one server. Each prints
 * {@code result=<value>}: the agent must never change it.
 */
public final class Programs {
    private static final int N = 2000;

    private Programs() {
    }

    public static void main(String[] args) throws Exception {
        Object result = switch (args[0]) {
            case "racy" -> racy();
            case "owner-loop" -> ownerLoop();
            case "stages" -> stages();
            case "combined-stages" -> combinedStages();
            case "synchronized" -> synchronizedCounter();
            case "reentrant-lock" -> reentrantLock();
            case "atomic" -> atomic();
            case "volatile-flag" -> volatileFlag();
            case "start-join" -> startJoin();
            case "executor" -> executor();
            case "lazy-init" -> lazyInit();
            case "wait-notify" -> waitNotify();
            case "latch" -> latch();
            case "fork-join" -> forkJoin(false);
            case "fork-join-racy" -> forkJoin(true);
            case "parallel-stream" -> parallelStream(false);
            case "parallel-stream-racy" -> parallelStream(true);
            case "varhandle-release" -> varHandleRelease();
            case "varhandle-plain" -> varHandlePlain();
            case "load" -> Class.forName(args[1]).getMethod("run").invoke(null);
            case "http" -> http(args[1].equals("locked"));
            default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
        };
        System.out.println("result=" + result);
    }

    private static void both(Runnable body) throws InterruptedException {
        Thread a = new Thread(body, "worker-a");
        Thread b = new Thread(body, "worker-b");
        a.start();
        b.start();
        a.join();
        b.join();
    }

    // ---- a racy counter and three correct ones ------------------------------------------------------------------

    static final class RacyCounter {
        int count;
    }

    static int racy() throws InterruptedException {
        RacyCounter c = new RacyCounter();
        both(() -> {
            for (int i = 0; i < N; i++) {
                c.count++;
            }
        });
        return c.count;
    }

    static final class Solo {
        int n;
    }

    /**
     * 100,000 increments by one thread with no synchronisation in between, a synchronised block, one more, then a
     * started thread's three increments and the join: the owner fast path lets through one read and one write per
     * synchronisation interval of the owner; a second thread's accesses are all reported.
     */
    static int ownerLoop() throws InterruptedException {
        Solo s = new Solo();
        for (int i = 0; i < 100_000; i++) {
            s.n++;
        }
        Object lock = new Object();
        synchronized (lock) {
            lock.hashCode();
        }
        s.n++;
        Thread other = new Thread(() -> {
            for (int i = 0; i < 3; i++) {
                s.n++;
            }
        });
        other.start();
        other.join();
        return s.n;
    }

    static final class SyncCounter {
        int count;

        synchronized void increment() {
            count++;
        }
    }

    static int synchronizedCounter() throws InterruptedException {
        SyncCounter c = new SyncCounter();
        Object lock = new Object();
        both(() -> {
            for (int i = 0; i < N; i++) {
                if (i % 2 == 0) {
                    c.increment();
                } else {
                    synchronized (c) {
                        c.count++;
                    }
                }
            }
        });
        synchronized (lock) {
            return c.count;
        }
    }

    static final class LockedCounter {
        final ReentrantLock lock = new ReentrantLock();
        int count;
    }

    static int reentrantLock() throws InterruptedException {
        LockedCounter c = new LockedCounter();
        both(() -> {
            for (int i = 0; i < N; i++) {
                c.lock.lock();
                try {
                    c.count++;
                } finally {
                    c.lock.unlock();
                }
            }
        });
        return c.count;
    }

    static final class AtomicCounter {
        final AtomicInteger count = new AtomicInteger();
    }

    static int atomic() throws InterruptedException {
        AtomicCounter c = new AtomicCounter();
        both(() -> {
            for (int i = 0; i < N; i++) {
                c.count.incrementAndGet();
            }
        });
        return c.count.get();
    }

    // ---- publication and hand-offs --------------------------------------------------------------------------------

    static final class Published {
        int data;
        volatile boolean ready;
    }

    static int volatileFlag() throws InterruptedException {
        Published p = new Published();
        int[] seen = new int[1];
        Thread reader = new Thread(() -> {
            while (!p.ready) {
                Thread.onSpinWait();
            }
            seen[0] = p.data;
        }, "reader");
        Thread writer = new Thread(() -> {
            p.data = 42;
            p.ready = true;
        }, "writer");
        reader.start();
        writer.start();
        writer.join();
        reader.join();
        return seen[0];
    }

    static final class Handed {
        int value;
    }

    static int startJoin() throws InterruptedException {
        Handed h = new Handed();
        h.value = 1;
        Thread t = new Thread(() -> h.value = h.value + 10, "child");
        t.start();
        t.join();
        h.value = h.value * 2;
        return h.value;
    }

    static final class Submitted {
        int value;
    }

    static int executor() throws Exception {
        Submitted s = new Submitted();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            s.value = 5;
            Future<Integer> f = pool.submit(() -> {
                s.value = s.value + 1;
                return s.value;
            });
            int fromTask = f.get(10, TimeUnit.SECONDS);
            s.value = s.value + fromTask;
            Future<?> g = pool.submit(() -> s.value++);
            g.get();
            // CompletableFuture's async stages on the common pool, then one on the executor after it
            int doubled = CompletableFuture.supplyAsync(() -> s.value * 2)
                    .thenApplyAsync(v -> s.value = v, pool).get(10, TimeUnit.SECONDS);
            s.value = doubled + 1;
            return s.value;
        } finally {
            pool.shutdown();
        }
    }

    static final class Staged {
        int value;
    }

    /**
     * 200 times: a supplier writes, a dependent stage on an executor reads. The stage is attached while the supplier
     * may be completing, so sometimes its creator, not the completer, claims and submits it. On a machine with
     * fewer than 3 cores the common pool runs each supplier on a new thread, whose start makes that likely; each
     * such thread adds a component to the main thread's clock, so the count stays below the server's 256.
     */
    static int stages() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            int sum = 0;
            for (int i = 0; i < 200; i++) {
                Staged s = new Staged();
                int n = i;
                sum += CompletableFuture.supplyAsync(() -> s.value = n)
                        .thenApplyAsync(v -> s.value - v + 1, pool).get(10, TimeUnit.SECONDS);
            }
            return sum;
        } finally {
            pool.shutdown();
        }
    }

    static final class Combined {
        int value;
    }

    /**
     * The same with the supplier as the second source of {@code thenCombineAsync}, the first already complete: 100
     * pairs.
     */
    static int combinedStages() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            int sum = 0;
            CompletableFuture<Integer> one = CompletableFuture.completedFuture(1);
            for (int i = 0; i < 100; i++) {
                Combined s = new Combined();
                int n = i;
                sum += one.thenCombineAsync(CompletableFuture.supplyAsync(() -> s.value = n),
                        (a, v) -> s.value - v + a, pool).get(10, TimeUnit.SECONDS);
            }
            return sum;
        } finally {
            pool.shutdown();
        }
    }

    static final class Registry {
        static Registry instance;
        final int created = 1;

        static Registry get() {
            if (instance == null) {
                instance = new Registry();
            }
            return instance;
        }
    }

    static int lazyInit() throws InterruptedException {
        int[] got = new int[2];
        Thread a = new Thread(() -> got[0] = Registry.get().created, "a");
        Thread b = new Thread(() -> got[1] = Registry.get().created, "b");
        a.start();
        b.start();
        a.join();
        b.join();
        return got[0] + got[1];
    }

    static final class Mailbox {
        String message;
        boolean ready;
    }

    /** The consumer waits on the monitor; the producer fills the box and notifies; the message is read outside. */
    static String waitNotify() throws InterruptedException {
        Mailbox box = new Mailbox();
        String[] got = new String[1];
        Thread consumer = new Thread(() -> {
            synchronized (box) {
                while (!box.ready) {
                    try {
                        box.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
            got[0] = box.message;
        }, "consumer");
        consumer.start();
        while (consumer.getState() != Thread.State.WAITING) {
            Thread.onSpinWait(); // let the consumer wait first, so the hand-off really goes through wait()
        }
        synchronized (box) {
            box.message = "hello";
            box.ready = true;
            box.notifyAll();
        }
        consumer.join();
        return got[0];
    }

    static final class Config {
        int setting;
    }

    /** A worker already running waits on a latch for the main thread to fill in the configuration. */
    static int latch() throws InterruptedException {
        Config config = new Config();
        CountDownLatch ready = new CountDownLatch(1);
        int[] seen = new int[1];
        Thread worker = new Thread(() -> {
            try {
                ready.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            seen[0] = config.setting;
        }, "worker");
        worker.start();
        config.setting = 7;
        ready.countDown();
        worker.join();
        return seen[0];
    }

    // ---- VarHandles ------------------------------------------------------------------------------------------------

    static final class Gate {
        static final VarHandle READY;
        static final VarHandle TICKETS;
        static final VarHandle NOTE;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                READY = l.findVarHandle(Gate.class, "ready", boolean.class);
                TICKETS = l.findVarHandle(Gate.class, "tickets", int.class);
                NOTE = l.findVarHandle(Gate.class, "note", String.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        int data;
        boolean ready;
        int tickets;
        String note;
    }

    /**
     * Publication through a VarHandle: plain data, then a release store of a flag; the reader spins on an acquire
     * load and reads the data. Both also count tickets with getAndAdd and compareAndSet and swap a note.
     */
    static String varHandleRelease() throws InterruptedException {
        Gate g = new Gate();
        int[] seen = new int[1];
        Thread reader = new Thread(() -> {
            Gate.TICKETS.getAndAdd(g, 1);
            while (!(boolean) Gate.READY.getAcquire(g)) {
                Thread.onSpinWait();
            }
            seen[0] = g.data;
            int t;
            do {
                t = (int) Gate.TICKETS.getVolatile(g);
            } while (!Gate.TICKETS.compareAndSet(g, t, t + 10));
        }, "reader");
        Thread writer = new Thread(() -> {
            g.data = 42;
            int before = (int) Gate.TICKETS.getAndAdd(g, 1);
            Gate.NOTE.setVolatile(g, "written after " + (before >= 0 ? "start" : "?"));
            Gate.READY.setRelease(g, true);
        }, "writer");
        reader.start();
        writer.start();
        writer.join();
        reader.join();
        String note = (String) Gate.NOTE.getAndSet(g, "read");
        return seen[0] + "/" + (int) Gate.TICKETS.getVolatile(g) + "/" + note;
    }

    static final class PlainCell {
        static final VarHandle COUNT;

        static {
            try {
                COUNT = MethodHandles.lookup().findVarHandle(PlainCell.class, "count", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        int count;
    }

    /** A counter incremented by two threads with plain VarHandle get and set: a race. */
    static int varHandlePlain() throws InterruptedException {
        PlainCell c = new PlainCell();
        both(() -> {
            for (int i = 0; i < N; i++) {
                PlainCell.COUNT.set(c, (int) PlainCell.COUNT.get(c) + 1);
            }
        });
        return (int) PlainCell.COUNT.getVolatile(c);
    }

    // ---- fork/join and parallel streams ---------------------------------------------------------------------------

    /** Both parties (two halves, two requests) wait for each other here, so they really run at the same time. */
    static void meet(CountDownLatch bothIn) {
        bothIn.countDown();
        try {
            bothIn.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static final class ForkTotal {
        long sum;
    }

    /** Sums a range in two halves; each half keeps its sum in {@link #partial} (or adds to a shared total). */
    static final class SumTask extends RecursiveTask<Long> {
        private static final long serialVersionUID = 1L;
        final int from;
        final int to;
        final CountDownLatch bothIn;
        final ForkTotal shared;
        long partial;

        SumTask(int from, int to, CountDownLatch bothIn, ForkTotal shared) {
            this.from = from;
            this.to = to;
            this.bothIn = bothIn;
            this.shared = shared;
        }

        @Override
        protected Long compute() {
            if (to - from > N) {
                int mid = (from + to) / 2;
                SumTask left = new SumTask(from, mid, bothIn, shared);
                SumTask right = new SumTask(mid, to, bothIn, shared);
                left.fork();
                right.compute();
                left.join();
                partial = left.partial + right.partial; // the halves' results, read after the join
                return partial;
            }
            meet(bothIn);
            long s = 0;
            for (int i = from; i < to; i++) {
                s += i;
            }
            if (shared != null) {
                shared.sum += s; // both halves, unsynchronised
            }
            partial = s;
            return s;
        }
    }

    static final class PoolBox {
        int value;
    }

    /**
     * A RecursiveTask on a ForkJoinPool: halves combined through join only (no race), or added to one shared
     * total (a race); then a submitted task and an executed one, each joined.
     */
    static long forkJoin(boolean racy) throws Exception {
        ForkJoinPool pool = new ForkJoinPool(4);
        try {
            ForkTotal total = new ForkTotal();
            SumTask root = new SumTask(0, 2 * N, new CountDownLatch(2), racy ? total : null);
            pool.invoke(root);
            if (racy) {
                return total.sum;
            }
            PoolBox box = new PoolBox();
            box.value = (int) (root.partial % 1000);
            int submitted = pool.submit(() -> box.value = box.value + 1).get(10, TimeUnit.SECONDS);
            ForkJoinTask<?> executed = ForkJoinTask.adapt(() -> box.value = box.value * 3);
            pool.execute(executed);
            executed.join();
            return root.partial + submitted + box.value;
        } finally {
            pool.shutdown();
        }
    }

    static final class Cell {
        final int seed;
        int value;

        Cell(int seed) {
            this.seed = seed;
        }
    }

    static final class StreamTally {
        int count;
    }

    /**
     * A parallel stream on the common pool: each element's own field written by the workers and read by the caller
     * after the terminal operation (no race), or one shared counter incremented by every element (a race).
     */
    static int parallelStream(boolean racy) {
        CountDownLatch bothIn = new CountDownLatch(2);
        if (racy) {
            StreamTally tally = new StreamTally();
            IntStream.range(0, 8).parallel().forEach(i -> {
                meet(bothIn);
                tally.count++;
            });
            return tally.count;
        }
        List<Cell> cells = IntStream.range(0, 8).mapToObj(Cell::new).toList();
        cells.parallelStream().forEach(c -> {
            meet(bothIn);
            c.value = c.seed * 2;
        });
        int sum = 0;
        for (Cell c : cells) {
            sum += c.value;
        }
        return sum;
    }

    /** Starts {@code server}, prints its port, serves until stdin closes, then stops it and its pool. */
    static void serveUntilStdinCloses(HttpServer server, ExecutorService pool) throws IOException {
        server.start();
        System.out.println("port=" + server.getAddress().getPort());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (in.readLine() != null) {
            // wait for the test to close stdin
        }
        server.stop(0);
        pool.shutdown();
    }

    // ---- two concurrent requests against one balance --------------------------------------------------------------

    static final class Account {
        int balance = 1000;
    }

    static final class LockedAccount {
        int balance = 1000;
    }

    /**
     * Serves {@code POST /withdraw} until stdin closes; prints the port first. Both requests wait for each other
     * (a latch, so the test's two requests really overlap) and then take 100 from one balance.
     */
    static int http(boolean locked) throws IOException {
        Account racy = new Account();
        LockedAccount guarded = new LockedAccount();
        CountDownLatch bothIn = new CountDownLatch(2);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        server.setExecutor(pool);
        server.createContext("/withdraw", exchange -> {
            meet(bothIn);
            int left;
            if (locked) {
                synchronized (guarded) {
                    int seen = guarded.balance;
                    guarded.balance = seen - 100;
                    left = guarded.balance;
                }
            } else {
                int seen = racy.balance;
                racy.balance = seen - 100;
                left = racy.balance;
            }
            byte[] body = Integer.toString(left).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        serveUntilStdinCloses(server, pool);
        if (locked) {
            synchronized (guarded) {
                return guarded.balance;
            }
        }
        return racy.balance;
    }
}
