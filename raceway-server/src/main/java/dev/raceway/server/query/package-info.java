/**
 * What the analysis routes answer, below HTTP: plain classes over an {@link dev.raceway.storage.EventStore} that load
 * events, run the analyses of {@code dev.raceway.core} and return typed results. The handlers of
 * {@code dev.raceway.server.api} parse a request, call one query and write its result.
 */
package dev.raceway.server.query;
