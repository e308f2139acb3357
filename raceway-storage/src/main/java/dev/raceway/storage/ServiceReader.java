package dev.raceway.storage;

import java.util.List;

/** The services seen in events. */
public interface ServiceReader {

    /** One row per distinct {@code service_name} of stored events, ordered by name. */
    List<ServiceSummary> services();
}
