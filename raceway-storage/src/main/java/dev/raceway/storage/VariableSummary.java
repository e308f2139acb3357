package dev.raceway.storage;

import dev.raceway.core.event.AccessType;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * All accesses to one variable, aggregated.
 *
 * @param accessTypes distinct access types, in {@link AccessType} declaration order
 * @param traceIds    distinct traces, sorted (as unsigned 128-bit numbers)
 * @param services    distinct services, sorted
 */
public record VariableSummary(String variable, long accessCount, long threadCount, List<AccessType> accessTypes,
                              List<UUID> traceIds, List<String> services) {
    public VariableSummary {
        Objects.requireNonNull(variable, "variable");
        accessTypes = List.copyOf(accessTypes);
        traceIds = List.copyOf(traceIds);
        services = List.copyOf(services);
    }

    public int traceCount() {
        return traceIds.size();
    }
}
