/**
 * How batches reach the server: {@link dev.raceway.sdk.transport.EventTransport} (one HTTP post) and its
 * {@code java.net.http} implementation; the OkHttp one is {@code dev.raceway.sdk.okhttp.OkHttpTransport}.
 */
package dev.raceway.sdk.transport;
