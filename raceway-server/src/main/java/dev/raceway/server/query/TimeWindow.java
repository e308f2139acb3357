package dev.raceway.server.query;

import dev.raceway.core.event.Event;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** An optional {@code [since, until]} range of event timestamps, both ends inclusive; open where absent. */
public record TimeWindow(Optional<Instant> since, Optional<Instant> until) {
    public static final TimeWindow ALL = new TimeWindow(Optional.empty(), Optional.empty());

    public TimeWindow {
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        if (since.isPresent() && until.isPresent() && since.get().isAfter(until.get())) {
            throw new IllegalArgumentException("since must not be after until");
        }
    }

    /** True when some event of the trace is stamped within the window (whole traces are analysed). */
    public boolean touches(List<Event> trace) {
        if (since.isEmpty() && until.isEmpty()) {
            return true;
        }
        for (Event e : trace) {
            Instant t = e.timestamp();
            if ((since.isEmpty() || !t.isBefore(since.get())) && (until.isEmpty() || !t.isAfter(until.get()))) {
                return true;
            }
        }
        return false;
    }
}
