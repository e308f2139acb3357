package dev.raceway.core.json;

/** A single event could not be decoded; {@link #path()} names the field and the message says why. */
public final class EventDecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String path;

    public EventDecodeException(String path, String reason) {
        super(path + ": " + reason);
        this.path = path;
    }

    public String path() {
        return path;
    }
}
