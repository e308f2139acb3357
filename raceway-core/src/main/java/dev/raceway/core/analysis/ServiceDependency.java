package dev.raceway.core.analysis;

/** Calls from one service to another (distinct calls, not events). */
public record ServiceDependency(String from, String to, long callCount) {
}
