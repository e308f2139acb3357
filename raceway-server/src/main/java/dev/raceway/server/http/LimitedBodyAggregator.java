package dev.raceway.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;

/**
 * Aggregates request bodies up to the configured limit (counted after decompression, so a gzip bomb is cut off as
 * well); beyond it answers 413 with an error envelope and closes the connection, because the rest of the body is
 * still on the wire. The aggregator discards that rest while the response lingers, so the client can read the 413.
 */
final class LimitedBodyAggregator extends HttpObjectAggregator {
    /** How long the rest of an oversized body is read and discarded before the connection is closed anyway. */
    private static final Duration LINGER = Duration.ofSeconds(5);

    private final long limit;

    LimitedBodyAggregator(int maxContentLength) {
        super(maxContentLength);
        this.limit = maxContentLength;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        ReferenceCountUtil.release(oversized);
        ResponseWriter.sendAndLinger(ctx, ApiResponse.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "request body exceeds the limit of " + limit + " bytes (server.max_body_bytes); send smaller batches"),
                LINGER);
    }
}
