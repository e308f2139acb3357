package dev.raceway.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

/**
 * Answers requests the HTTP decoder could not read (request line or headers too long, garbage) with a 4xx naming
 * the problem, and closes the connection: after a decoding failure the byte stream cannot be trusted.
 */
final class MalformedRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    MalformedRequestHandler() {
        super(false);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (req.decoderResult().isSuccess()) {
            ctx.fireChannelRead(req);
            return;
        }
        Throwable cause = req.decoderResult().cause();
        req.release();
        ApiResponse r;
        if (cause instanceof TooLongHttpLineException) {
            r = ApiResponse.error(HttpResponseStatus.REQUEST_URI_TOO_LONG,
                    "request line too long (server.max_uri_length)");
        } else if (cause instanceof TooLongHttpHeaderException) {
            r = ApiResponse.error(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                    "request headers too large (server.max_header_bytes)");
        } else if (cause instanceof TooLongFrameException) {
            r = ApiResponse.error(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request too large: "
                    + cause.getMessage());
        } else {
            r = ApiResponse.error(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request: "
                    + (cause == null ? "unknown" : cause.getMessage()));
        }
        ResponseWriter.send(ctx, false, r);
    }
}
