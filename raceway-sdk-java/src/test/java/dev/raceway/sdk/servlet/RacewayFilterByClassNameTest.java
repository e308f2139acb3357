package dev.raceway.sdk.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.Event;
import dev.raceway.sdk.RacewayClient;
import dev.raceway.sdk.RecordingSink;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** A container that creates the filter by class name finds the client in the servlet context. */
class RacewayFilterByClassNameTest {

    @Test
    void theFilterTakesItsClientFromTheServletContextAttribute() throws Exception {
        try (RecordingSink sink = new RecordingSink();
             RacewayClient client = RacewayClient.builder(sink.endpoint(), "legacy")
                     .flushInterval(Duration.ofMillis(50)).build()) {
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server, 1, 1);
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler();
            context.setAttribute(RacewayFilter.CLIENT_ATTRIBUTE, client);
            context.addServlet(new ServletHolder(new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                    resp.setStatus(204);
                }
            }), "/x");
            context.addFilter(RacewayFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST));
            server.setHandler(context);
            server.start();
            try {
                HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/x")).build(),
                        HttpResponse.BodyHandlers.discarding());
                assertThat(r.statusCode()).isEqualTo(204);
            } finally {
                server.stop();
            }
            assertThat(client.flush()).isTrue();
            List<Event> events = sink.awaitAccepted(2, 10);
            assertThat(events).extracting(e -> e.kind().variant()).containsExactly("HttpRequest", "HttpResponse");
        }
    }
}
