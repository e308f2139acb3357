package dev.raceway.server.http;

/**
 * Which worker pool runs a route. Each lane has its own bounded pool and queue, so work that may block on storage
 * (queries, analyses) never delays answers that must stay fast ({@code /health}, the UI's files, {@code /auth/*})
 * or ingest, and a full lane answers 503 instead of queueing without bound.
 */
public enum Lane {
    /** Event ingest: body decoding and handing batches to the pipeline. */
    INGEST,
    /** Storage reads and analyses; may block on a database. */
    QUERY,
    /** Answers from memory only: health (a cached probe), static files, auth checks. */
    LIGHT
}
