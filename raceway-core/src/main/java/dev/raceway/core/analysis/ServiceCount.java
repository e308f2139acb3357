package dev.raceway.core.analysis;

/** Events of one service in a trace. */
public record ServiceCount(String name, long eventCount) {
}
