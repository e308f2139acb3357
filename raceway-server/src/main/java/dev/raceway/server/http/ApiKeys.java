package dev.raceway.server.http;

import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * The configured API keys. A presented key is compared with every configured key through SHA-256 digests and
 * {@link MessageDigest#isEqual}, so the time taken depends neither on where the first differing byte is nor on the
 * key lengths. Keys are never logged.
 */
public final class ApiKeys {
    /** Wrong keys an address may present per minute (and in a burst) before it is refused with 429. */
    public static final int GUESSES_PER_MINUTE = 20;

    private final List<byte[]> digests;
    private final Sessions sessions;
    private final RateLimiter guesses = new RateLimiter(GUESSES_PER_MINUTE, 100_000, System::nanoTime);

    public ApiKeys(List<String> keys) {
        this(keys, new Sessions());
    }

    /** The keys, and the browser sessions that stand for one of them ({@code /auth/login}). */
    public ApiKeys(List<String> keys, Sessions sessions) {
        this.digests = keys.stream().map(ApiKeys::digest).toList();
        this.sessions = sessions;
    }

    public Sessions sessions() {
        return sessions;
    }

    /**
     * Counts a wrong key presented from {@code address} (any route, any way it was sent); not allowed once the
     * address has used up {@link #GUESSES_PER_MINUTE}.
     */
    public RateLimiter.Decision wrongKey(String address) {
        return guesses.acquire(address);
    }

    /**
     * Whether a request is authenticated: it presents a valid key ({@link #presented}), or, presenting none, a live
     * session cookie.
     */
    public boolean accepts(HttpHeaders headers) {
        Optional<String> key = presented(headers);
        return key.isPresent() ? isValid(key.get()) : sessions.accepts(headers);
    }

    /**
     * The key a request presents: {@code Authorization: Bearer <key>} (scheme in any case) wins when present, even
     * if wrong; else a non-blank {@code X-Raceway-Key}.
     */
    public static Optional<String> presented(HttpHeaders headers) {
        String auth = headers.get("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(auth.substring(7).trim());
        }
        String key = headers.get("X-Raceway-Key");
        if (key != null && !key.isBlank()) {
            return Optional.of(key.trim());
        }
        return Optional.empty();
    }

    public boolean isValid(String presented) {
        byte[] d = digest(presented);
        boolean ok = false;
        for (byte[] k : digests) {
            ok |= MessageDigest.isEqual(k, d);
        }
        return ok && !presented.isEmpty();
    }

    static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
