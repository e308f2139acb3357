package dev.raceway.core.causality;

/** How bad a race is: two writes lose an update ({@code CRITICAL}); a read and a write see a torn value. */
public enum RaceSeverity {
    CRITICAL, WARNING
}
