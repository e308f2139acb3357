package dev.raceway.server.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Browser sessions of {@code POST /auth/login}: a random token in the {@code raceway_session} cookie (HttpOnly,
 * SameSite=Strict, as the reference server sets it) stands for a valid API key until it expires or
 * {@code /auth/logout} ends it. Only the SHA-256 digest of each token is kept, in memory: a restart ends every
 * session. At most {@link #MAX_SESSIONS} live at once; beyond that the one closest to expiry is ended.
 */
public final class Sessions {
    public static final String COOKIE = "raceway_session";
    public static final Duration DEFAULT_TTL = Duration.ofHours(12);
    static final int MAX_SESSIONS = 10_000;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Long> expiryByDigest = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final LongSupplier nanoTime;

    public Sessions() {
        this(DEFAULT_TTL, System::nanoTime);
    }

    Sessions(Duration ttl, LongSupplier nanoTime) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("session ttl must be positive, got " + ttl);
        }
        this.ttl = ttl;
        this.nanoTime = nanoTime;
    }

    public Duration ttl() {
        return ttl;
    }

    /** A new session's token. */
    public String create() {
        long now = nanoTime.getAsLong();
        expiryByDigest.values().removeIf(expiry -> expiry - now <= 0);
        while (expiryByDigest.size() >= MAX_SESSIONS) {
            expiryByDigest.entrySet().stream().min(Map.Entry.comparingByValue())
                    .ifPresent(oldest -> expiryByDigest.remove(oldest.getKey()));
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        expiryByDigest.put(digest(token), now + ttl.toNanos());
        return token;
    }

    /** Whether {@code token} is a live session; an expired one is forgotten. */
    public boolean isValid(String token) {
        String d = digest(token);
        Long expiry = expiryByDigest.get(d);
        if (expiry == null) {
            return false;
        }
        if (expiry - nanoTime.getAsLong() <= 0) {
            expiryByDigest.remove(d);
            return false;
        }
        return true;
    }

    public void end(String token) {
        expiryByDigest.remove(digest(token));
    }

    /** The session token a request's {@code Cookie} header carries, if any. */
    public static Optional<String> presented(HttpHeaders headers) {
        for (Iterator<String> it = headers.valueStringIterator("Cookie"); it.hasNext(); ) {
            for (Cookie c : ServerCookieDecoder.LAX.decode(it.next())) {
                if (c.name().equals(COOKIE) && !c.value().isEmpty()) {
                    return Optional.of(c.value());
                }
            }
        }
        return Optional.empty();
    }

    /** Whether the request carries a live session cookie. */
    public boolean accepts(HttpHeaders headers) {
        return presented(headers).map(this::isValid).orElse(false);
    }

    /** {@code Set-Cookie} for a new session ({@code secure}: only over HTTPS). */
    public String setCookie(String token, boolean secure) {
        return COOKIE + "=" + token + "; Path=/; Max-Age=" + ttl.toSeconds() + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    /** {@code Set-Cookie} that removes the cookie. */
    public static String clearCookie(boolean secure) {
        return COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    private static String digest(String token) {
        return Base64.getEncoder().encodeToString(ApiKeys.digest(token));
    }
}
