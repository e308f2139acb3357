package dev.raceway.core.json;

import dev.raceway.core.event.Event;
import java.util.List;

/** The valid events of a batch, and a rejection for each invalid one. Order follows the input. */
public record BatchDecodeResult(List<Event> events, List<EventRejection> rejections) {
    public BatchDecodeResult {
        events = List.copyOf(events);
        rejections = List.copyOf(rejections);
    }

    public int received() {
        return events.size() + rejections.size();
    }
}
