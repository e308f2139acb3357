package dev.raceway.core.analysis;

/** Wire names as the reference spells them. */
public enum AnomalySeverity {
    Minor, Warning, Critical
}
