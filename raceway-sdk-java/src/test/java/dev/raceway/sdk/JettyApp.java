package dev.raceway.sdk;

import dev.raceway.sdk.servlet.RacewayFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Test helper: an embedded Jetty 12 (ee10) app with the Raceway filter in front of some servlets. */
public final class JettyApp implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    private JettyApp(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    public static Builder builder(RacewayClient client) {
        return new Builder(client);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + connector.getLocalPort() + path;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    public static final class Builder {
        private final RacewayClient client;
        private final Map<String, HttpServlet> servlets = new LinkedHashMap<>();
        private final Map<String, HttpServlet> untraced = new LinkedHashMap<>();
        private int maxThreads = 8;

        Builder(RacewayClient client) {
            this.client = client;
        }

        public Builder servlet(String path, HttpServlet servlet) {
            servlets.put(path, servlet);
            return this;
        }

        /** A servlet outside the filter (under {@code /plain/}). */
        public Builder untraced(String path, HttpServlet servlet) {
            untraced.put(path, servlet);
            return this;
        }

        public Builder maxThreads(int n) {
            this.maxThreads = n;
            return this;
        }

        public JettyApp start() throws Exception {
            QueuedThreadPool pool = new QueuedThreadPool(Math.max(maxThreads, 4), Math.max(maxThreads, 4));
            Server server = new Server(pool);
            ServerConnector connector = new ServerConnector(server, 1, 1);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler();
            context.setContextPath("/");
            servlets.forEach((path, s) -> {
                ServletHolder holder = new ServletHolder(s);
                holder.setAsyncSupported(true);
                context.addServlet(holder, path);
            });
            untraced.forEach((path, s) -> context.addServlet(new ServletHolder(s), "/plain" + path));
            FilterHolder filter = new FilterHolder(new RacewayFilter(client));
            filter.setAsyncSupported(true);
            for (String path : servlets.keySet()) {
                context.addFilter(filter, path, EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
            }
            server.setHandler(context);
            server.start();
            return new JettyApp(server, connector);
        }
    }
}
