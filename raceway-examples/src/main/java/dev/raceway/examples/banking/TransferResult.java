package dev.raceway.examples.banking;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The outcome of one transfer as the handler saw it: the balances it read and wrote, and the trace that recorded
 * it (open {@code /api/traces/<trace_id>} on the Raceway server).
 */
public record TransferResult(boolean success, String error, String from, String to, long amount,
                             @JsonProperty("from_balance_read") long fromBalanceRead,
                             @JsonProperty("from_balance_written") long fromBalanceWritten,
                             @JsonProperty("trace_id") String traceId) {

    static TransferResult done(String from, String to, long amount, long read, long written, String traceId) {
        return new TransferResult(true, null, from, to, amount, read, written, traceId);
    }

    static TransferResult refused(String from, String to, long amount, long read, String error, String traceId) {
        return new TransferResult(false, error, from, to, amount, read, read, traceId);
    }
}
