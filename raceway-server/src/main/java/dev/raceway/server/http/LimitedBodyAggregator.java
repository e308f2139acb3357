package dev.raceway.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;

/**
 * Aggregates request bodies up to the configured limit (counted after decompression, so a gzip bomb is cut off as
 * well); beyond it answers 413 with an error envelope and closes the connection, because the rest of the body is
 * still on the wire.
 */
final class LimitedBodyAggregator extends HttpObjectAggregator {
    private final long limit;

    LimitedBodyAggregator(int maxContentLength) {
        super(maxContentLength);
        this.limit = maxContentLength;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        ReferenceCountUtil.release(oversized);
        ResponseWriter.send(ctx, false, ApiResponse.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "request body exceeds the limit of " + limit + " bytes (server.max_body_bytes); send smaller batches"));
    }
}
