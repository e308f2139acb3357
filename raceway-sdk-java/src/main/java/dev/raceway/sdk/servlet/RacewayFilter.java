package dev.raceway.sdk.servlet;

import dev.raceway.core.propagation.InboundContext;
import dev.raceway.sdk.RacewayClient;
import dev.raceway.sdk.RacewayContext;
import io.opentelemetry.context.Scope;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Jakarta Servlet filter that runs each request in a Raceway context (Tomcat, Jetty, Spring Boot, …).
 *
 * <p>It reads {@code traceparent}, {@code tracestate} and {@code raceway-clock}, so a request from an
 * instrumented service joins its trace; records an HttpRequest event (method, path and query) when the request
 * starts and an HttpResponse event (status, duration) when it ends — for an asynchronous request when the async
 * cycle completes, and with status 500 plus an Error event when the chain throws. When the request came with
 * propagation headers, the response carries this request's {@code raceway-clock} back (set before the response is
 * committed), so the instrumented caller orders its next events after this request's. Raceway's own traffic
 * ({@code X-Raceway-Internal: true}) is passed through untraced.
 *
 * <p>Register it with a client: {@code new RacewayFilter(client)} (programmatic registration, Spring's
 * {@code FilterRegistrationBean}); or by class name, with the client stored under {@link #CLIENT_ATTRIBUTE} in
 * the servlet context.
 */
public class RacewayFilter implements Filter {
    /** Servlet context attribute holding the {@link RacewayClient} when the filter is created by class name. */
    public static final String CLIENT_ATTRIBUTE = RacewayClient.class.getName();

    private static final String ACTIVE = RacewayFilter.class.getName() + ".context";
    private static final String STAMPING = RacewayFilter.class.getName() + ".stamping";

    private volatile RacewayClient client;

    public RacewayFilter(RacewayClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** For containers that create filters by class name; the client comes from {@link #CLIENT_ATTRIBUTE}. */
    public RacewayFilter() {
    }

    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        if (client == null) {
            Object c = filterConfig.getServletContext().getAttribute(CLIENT_ATTRIBUTE);
            if (!(c instanceof RacewayClient rc)) {
                throw new ServletException("RacewayFilter needs a RacewayClient in the servlet context attribute "
                        + CLIENT_ATTRIBUTE);
            }
            client = rc;
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)
                || "true".equalsIgnoreCase(request.getHeader("X-Raceway-Internal"))
                || !client.config().enabled()) {
            chain.doFilter(req, res);
            return;
        }
        // An async re-dispatch of a request we already started continues its context instead of starting anew.
        Object existing = request.getAttribute(ACTIVE);
        if (existing instanceof RacewayContext ctx) {
            ClockStampingResponse stamping = request.getAttribute(STAMPING) != null
                    ? new ClockStampingResponse(response, client, ctx) : null;
            try (Scope ignored = ctx.makeCurrent()) {
                chain.doFilter(req, stamping != null ? stamping : res);
            }
            if (!request.isAsyncStarted()) {
                stamp(stamping);
            }
            return;
        }
        InboundContext inbound = InboundContext.parse(request::getHeader);
        RacewayContext ctx = client.startRequest(inbound);
        request.setAttribute(ACTIVE, ctx);
        // An instrumented caller learns our clock from the response, so its next events come after what we did
        // here. Other callers get no header (it would only show them our service and instance names).
        ClockStampingResponse stamping = null;
        if (inbound.distributed()) {
            stamping = new ClockStampingResponse(response, client, ctx);
            request.setAttribute(STAMPING, Boolean.TRUE);
        }
        long start = System.nanoTime();
        Completion completion = new Completion(client, ctx, start);
        try (Scope ignored = ctx.makeCurrent()) {
            client.trackHttpRequest(request.getMethod(), pathAndQuery(request));
            try {
                chain.doFilter(req, stamping != null ? stamping : res);
            } catch (IOException | ServletException | RuntimeException | Error e) {
                completion.failed(e);
                stamp(stamping);
                throw e;
            }
            if (request.isAsyncStarted()) {
                // Another thread owns the response now: the header is set when it writes through our wrapper
                // (startAsync(request, response) keeps it), never from here, concurrently with that thread.
                request.getAsyncContext().addListener(completion);
            } else {
                completion.finish(response.getStatus());
                stamp(stamping); // after the HttpResponse event, unless the body already committed the response
            }
        }
    }

    private static void stamp(ClockStampingResponse stamping) {
        if (stamping != null) {
            stamping.stamp();
        }
    }

    static String pathAndQuery(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String query = request.getQueryString();
        return query == null ? uri : uri + "?" + query;
    }

    /** Records the end of a request exactly once, on whichever thread ends it. */
    private static final class Completion implements AsyncListener {
        private final RacewayClient client;
        private final RacewayContext ctx;
        private final long start;
        private final AtomicBoolean done = new AtomicBoolean();

        Completion(RacewayClient client, RacewayContext ctx, long start) {
            this.client = client;
            this.ctx = ctx;
            this.start = start;
        }

        void finish(int status) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            try (Scope ignored = ctx.makeCurrent()) {
                client.trackHttpResponse(status, ms);
            }
        }

        void failed(Throwable error) {
            if (done.get()) {
                return;
            }
            try (Scope ignored = ctx.makeCurrent()) {
                client.trackError(error);
            }
            finish(500);
        }

        @Override
        public void onComplete(AsyncEvent event) {
            ServletResponse r = event.getSuppliedResponse();
            finish(r instanceof HttpServletResponse h ? h.getStatus() : 200);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // The container completes the request after the timeout (usually with 500); onComplete reports it.
        }

        @Override
        public void onError(AsyncEvent event) {
            if (event.getThrowable() != null && !done.get()) {
                try (Scope ignored = ctx.makeCurrent()) {
                    client.trackError(event.getThrowable());
                }
            }
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }
}
