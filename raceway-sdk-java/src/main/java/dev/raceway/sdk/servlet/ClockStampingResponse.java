package dev.raceway.sdk.servlet;

import dev.raceway.core.propagation.RacewayClock;
import dev.raceway.sdk.RacewayClient;
import dev.raceway.sdk.RacewayContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * A response that carries the callee's {@code raceway-clock} back to the caller. Headers can only be set until
 * the response is committed, and the first byte of the body or a flush may commit it; so the header is set (with
 * the context's clock at that moment) before the body is first written, before every flush, error or redirect,
 * and once more when the request ends if the response is still uncommitted — each time replacing the previous
 * value, so the caller gets the latest clock the container still lets us send.
 */
final class ClockStampingResponse extends HttpServletResponseWrapper {
    private final RacewayClient client;
    private final RacewayContext ctx;
    private ServletOutputStream stream;
    private PrintWriter writer;

    ClockStampingResponse(HttpServletResponse response, RacewayClient client, RacewayContext ctx) {
        super(response);
        this.client = client;
        this.ctx = ctx;
    }

    /** Sets the header to the context's clock now, unless the response is already committed. */
    void stamp() {
        HttpServletResponse r = (HttpServletResponse) getResponse();
        if (r.isCommitted()) {
            return;
        }
        try {
            r.setHeader(RacewayClock.HEADER, client.responseClockHeader(ctx));
        } catch (RuntimeException e) {
            // Never fail the application's response because of the clock.
        }
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        ServletOutputStream inner = super.getOutputStream();
        if (stream == null) {
            stream = new StampingStream(inner);
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        PrintWriter inner = super.getWriter();
        if (writer == null) {
            writer = new StampingWriter(inner);
        }
        return writer;
    }

    @Override
    public void flushBuffer() throws IOException {
        stamp();
        super.flushBuffer();
    }

    @Override
    public void sendError(int sc, String msg) throws IOException {
        stamp();
        super.sendError(sc, msg);
    }

    @Override
    public void sendError(int sc) throws IOException {
        stamp();
        super.sendError(sc);
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        stamp();
        super.sendRedirect(location);
    }

    private final class StampingStream extends ServletOutputStream {
        private final ServletOutputStream inner;
        private boolean written;

        StampingStream(ServletOutputStream inner) {
            this.inner = inner;
        }

        private void beforeWrite() {
            if (!written) {
                written = true;
                stamp();
            }
        }

        @Override
        public void write(int b) throws IOException {
            beforeWrite();
            inner.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            beforeWrite();
            inner.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            stamp();
            inner.flush();
        }

        @Override
        public void close() throws IOException {
            stamp();
            inner.close();
        }

        @Override
        public boolean isReady() {
            return inner.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            inner.setWriteListener(listener);
        }
    }

    private final class StampingWriter extends PrintWriter {
        private final PrintWriter inner;

        StampingWriter(PrintWriter inner) {
            super(new Writer() {
                private boolean written;

                @Override
                public void write(char[] cbuf, int off, int len) {
                    if (!written) {
                        written = true;
                        stamp();
                    }
                    inner.write(cbuf, off, len);
                }

                @Override
                public void flush() {
                    stamp();
                    inner.flush();
                }

                @Override
                public void close() {
                    stamp();
                    inner.close();
                }
            });
            this.inner = inner;
        }

        @Override
        public boolean checkError() {
            return super.checkError() || inner.checkError();
        }
    }
}
