package dev.raceway.server.otlp;

/** An OTLP request body that cannot be read at all (answered 400 with this message); nothing of it is kept. */
public final class MalformedOtlpException extends Exception {
    public MalformedOtlpException(String message) {
        super(message, null, false, false);
    }
}
