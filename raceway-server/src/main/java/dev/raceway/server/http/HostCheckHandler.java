package dev.raceway.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * On a server bound to loopback, refuses requests whose {@code Host} is neither a loopback name nor one of
 * {@code [server] allowed_hosts} (403): a web page the user visits cannot reach the server by making its own domain
 * resolve to 127.0.0.1 (DNS rebinding), because the browser then sends that domain as the {@code Host}.
 */
public final class HostCheckHandler extends RequestHeadFilter {
    private final Set<String> allowed;

    HostCheckHandler(List<String> allowedHosts) {
        this.allowed = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    /** Whether a configured listen address is loopback-only, so that only local names reach it. */
    public static boolean isLoopback(String bindHost) {
        String h = bindHost.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
    }

    @Override
    Optional<ApiResponse> check(HttpRequest req) {
        String host = req.headers().get(HttpHeaderNames.HOST);
        if (!req.decoderResult().isSuccess() || host == null || isAllowed(hostName(host))) {
            return Optional.empty();
        }
        return Optional.of(ApiResponse.error(HttpResponseStatus.FORBIDDEN, "Host '" + ApiRequest.abbreviate(host)
                + "' is not a loopback name; add it to [server] allowed_hosts to reach this server by that name"));
    }

    private boolean isAllowed(String name) {
        return name.equals("localhost") || name.endsWith(".localhost") || name.equals("::1")
                || isLoopbackV4(name) || allowed.contains(name);
    }

    private static String hostName(String hostHeader) {
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(1, end);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    private static boolean isLoopbackV4(String name) {
        String[] parts = name.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }
}
