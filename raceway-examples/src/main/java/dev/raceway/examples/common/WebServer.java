package dev.raceway.examples.common;

import dev.raceway.sdk.RacewayClient;
import dev.raceway.sdk.servlet.RacewayFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * An embedded Jetty server whose every request runs through the Raceway servlet filter, so each request is its
 * own trace (or joins the caller's trace when it carries propagation headers).
 */
public final class WebServer implements AutoCloseable {
    private final Server server;
    private final int port;
    private final String host;

    private WebServer(Server server, String host, int port) {
        this.server = server;
        this.host = host;
        this.port = port;
    }

    /** Starts a server on {@code host:port} (port 0 = any free port) serving {@code servlets} by path spec. */
    public static WebServer start(String host, int port, RacewayClient raceway, Map<String, HttpServlet> servlets) {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addFilter(new FilterHolder(new RacewayFilter(raceway)), "/*", EnumSet.of(DispatcherType.REQUEST));
        servlets.forEach((path, servlet) -> context.addServlet(new ServletHolder(servlet), path));
        server.setHandler(context);
        server.setStopTimeout(1_000);
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new IllegalStateException("could not start the web server on " + host + ":" + port + ": " + e, e);
        }
        return new WebServer(server, host, connector.getLocalPort());
    }

    /** A path-spec → servlet map that keeps the order routes were added in. */
    public static Map<String, HttpServlet> routes() {
        return new LinkedHashMap<>();
    }

    public int port() {
        return port;
    }

    /** The base URL, e.g. {@code http://127.0.0.1:3000}. */
    public URI baseUri() {
        return URI.create("http://" + host + ":" + port);
    }

    /**
     * Stops the server, giving requests in flight up to the stop timeout. Idle keep-alive connections of clients
     * make the graceful phase time out; Jetty closes them anyway, so that is not a failure.
     */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (TimeoutException e) {
            // graceful phase over; the server is stopped
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the web server: " + e, e);
        }
    }
}
