package dev.raceway.examples.banking;

import java.util.Locale;

/** How the bank runs a transfer's read-modify-write of the balances. */
public enum TransferMode {
    /** Read the balance, think, write it back: concurrent transfers lose updates. */
    RACY,
    /** The same read-modify-write inside a {@link dev.raceway.sdk.TrackedLock}: serialised, nothing lost. */
    FIXED;

    public static TransferMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mode must be racy or fixed, got '" + text + "'");
        }
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
