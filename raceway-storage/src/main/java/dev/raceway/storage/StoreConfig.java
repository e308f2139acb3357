package dev.raceway.storage;

/**
 * Settings of one storage backend, as parsed from {@code [storage]} of {@code raceway.toml}. Each record validates
 * its values on construction and says precisely what is wrong ({@link IllegalArgumentException}).
 */
public sealed interface StoreConfig permits MemoryStoreConfig, PostgresStoreConfig {
}
