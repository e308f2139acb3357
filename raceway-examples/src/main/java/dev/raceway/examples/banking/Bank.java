package dev.raceway.examples.banking;

import dev.raceway.sdk.RacewayClient;
import dev.raceway.sdk.RacewayContext;
import dev.raceway.sdk.TrackedLock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Accounts and transfers. The balances map stands in for a database: each read and each write is a separate
 * round trip, so a transfer is a read-modify-write that other requests can interleave with. Every read and write
 * is reported to Raceway as a StateChange on {@code <account>.balance}.
 */
final class Bank {
    static final Map<String, Long> OPENING_BALANCES = openingBalances();

    private final Map<String, Long> balances = new ConcurrentHashMap<>();
    private final RacewayClient raceway;
    private final TransferMode mode;
    private final Duration latency;
    private final TrackedLock accountsLock;

    Bank(RacewayClient raceway, TransferMode mode, Duration latency) {
        this.raceway = raceway;
        this.mode = mode;
        this.latency = latency;
        this.accountsLock = new TrackedLock(raceway, "bank.accounts");
        reset();
    }

    private static Map<String, Long> openingBalances() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("alice", 1000L);
        m.put("bob", 500L);
        m.put("charlie", 300L);
        return Map.copyOf(m);
    }

    TransferMode mode() {
        return mode;
    }

    /** Back to the opening balances; the set of accounts never changes, so transfers in flight never miss one. */
    void reset() {
        balances.putAll(OPENING_BALANCES);
    }

    Optional<Long> balance(String account) {
        return Optional.ofNullable(balances.get(account));
    }

    Map<String, Long> balances() {
        return new TreeMap<>(balances);
    }

    /**
     * Moves {@code amount} from one account to another. Racy mode: two concurrent transfers from the same account
     * both read the same balance, both write {@code balance - amount}, and one debit is lost. Fixed mode: the
     * read-modify-write runs under one tracked lock.
     */
    TransferResult transfer(String from, String to, long amount) {
        requireAccount(from);
        requireAccount(to);
        if (from.equals(to)) {
            throw new IllegalArgumentException("from and to must be different accounts");
        }
        if (amount <= 0) {
            throw new IllegalArgumentException("amount must be positive, got " + amount);
        }
        raceway.trackFunctionCall("transfer", Map.of("from", from, "to", to, "amount", amount));
        if (mode == TransferMode.FIXED) {
            return accountsLock.withLock(() -> move(from, to, amount));
        }
        return move(from, to, amount);
    }

    private TransferResult move(String from, String to, long amount) {
        String trace = RacewayContext.current().map(c -> c.traceId().toString()).orElse(null);
        String fromVar = from + ".balance";
        String toVar = to + ".balance";
        // Each tracking call sits next to the access it reports, so its location points at this line.
        long fromBalance = balances.get(from);
        raceway.trackStateChange(fromVar, null, fromBalance, "Read");
        if (fromBalance < amount) {
            return TransferResult.refused(from, to, amount, fromBalance, "insufficient funds", trace);
        }
        simulateLatency(); // the window in which another transfer reads the same, soon stale, balance
        balances.put(from, fromBalance - amount);
        raceway.trackStateChange(fromVar, fromBalance, fromBalance - amount, "Write");
        long toBalance = balances.get(to);
        raceway.trackStateChange(toVar, null, toBalance, "Read");
        balances.put(to, toBalance + amount);
        raceway.trackStateChange(toVar, toBalance, toBalance + amount, "Write");
        return TransferResult.done(from, to, amount, fromBalance, fromBalance - amount, trace);
    }

    private void requireAccount(String account) {
        if (account == null || !balances.containsKey(account)) {
            throw new UnknownAccount(account);
        }
    }

    private void simulateLatency() {
        try {
            Thread.sleep(latency.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the transfer", e);
        }
    }

    static final class UnknownAccount extends RuntimeException {
        UnknownAccount(String account) {
            super("unknown account '" + account + "'");
        }
    }
}
