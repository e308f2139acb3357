package dev.raceway.examples.plainbank;

import dev.raceway.examples.banking.TransferMode;
import dev.raceway.examples.common.ExampleArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The banking example's transfer as plain Java, with no Raceway calls at all: run it under the raceway agent
 * ({@code raceway-examples/run banking-agent}) and the agent sees the balance fields, the executor and the lock.
 * Racy mode reads a balance, waits (the simulated database round trip) and writes it back, so concurrent transfers
 * lose updates; fixed mode does the same inside {@code synchronized}.
 */
public final class PlainBank {
    /** One account; its balance is the shared state. */
    static final class Account {
        final String name;
        long balance;

        Account(String name, long balance) {
            this.name = name;
            this.balance = balance;
        }
    }

    private final Account alice = new Account("alice", 1000);
    private final Account bob = new Account("bob", 500);
    private final TransferMode mode;
    private final long latencyMs;

    PlainBank(TransferMode mode, long latencyMs) {
        this.mode = mode;
        this.latencyMs = latencyMs;
    }

    void transfer(Account from, Account to, long amount) throws InterruptedException {
        if (mode == TransferMode.FIXED) {
            synchronized (this) {
                move(from, to, amount);
            }
        } else {
            move(from, to, amount);
        }
    }

    private void move(Account from, Account to, long amount) throws InterruptedException {
        long balance = from.balance;
        Thread.sleep(latencyMs); // the window in which another transfer reads the same, soon stale, balance
        from.balance = balance - amount;
        to.balance = to.balance + amount;
    }

    public static void main(String[] args) throws Exception {
        ExampleArgs a = ExampleArgs.parse(args, "mode", "transfers", "amount", "latency-ms");
        TransferMode mode = TransferMode.parse(a.string("mode", "racy"));
        int transfers = a.integer("transfers", 5);
        long amount = a.integer("amount", 100);
        PlainBank bank = new PlainBank(mode, a.integer("latency-ms", 50));
        ExecutorService pool = Executors.newFixedThreadPool(transfers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < transfers; i++) {
                done.add(pool.submit(() -> {
                    bank.transfer(bank.alice, bank.bob, amount);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        long expected = 1000 - transfers * amount;
        long actual;
        synchronized (bank) {
            actual = bank.alice.balance;
        }
        System.out.println("mode=" + mode.wireName() + " alice.balance=" + actual + " expected=" + expected);
        System.out.println(actual == expected ? "All " + transfers + " transfers accounted for"
                : "LOST UPDATE: " + (actual - expected) / amount + " of " + transfers + " debits lost");
    }
}
