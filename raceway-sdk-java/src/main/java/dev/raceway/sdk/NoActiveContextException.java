package dev.raceway.sdk;

/** A call that needs a Raceway request context (such as building propagation headers) was made outside one. */
public final class NoActiveContextException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public NoActiveContextException() {
        super("Raceway context is not active");
    }
}
