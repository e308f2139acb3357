package dev.raceway.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SessionsTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final Sessions sessions = new Sessions(Duration.ofMinutes(30), now::get);

    @Test
    void aSessionExpiresAfterItsTtl() {
        String token = sessions.create();
        assertThat(sessions.isValid(token)).isTrue();
        now.addAndGet(Duration.ofMinutes(30).toNanos() - 1);
        assertThat(sessions.isValid(token)).isTrue();
        now.addAndGet(1);
        assertThat(sessions.isValid(token)).isFalse();
    }

    @Test
    void tokensAreRandomAndEndedOnesAreGone() {
        String a = sessions.create();
        String b = sessions.create();
        assertThat(a).isNotEqualTo(b).hasSizeGreaterThanOrEqualTo(43);
        sessions.end(a);
        assertThat(sessions.isValid(a)).isFalse();
        assertThat(sessions.isValid(b)).isTrue();
        assertThat(sessions.isValid("made-up")).isFalse();
    }

    @Test
    void theCookieIsReadAmongOthers() {
        String token = sessions.create();
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        headers.add("Cookie", "theme=dark; raceway_session=" + token + "; other=1");
        assertThat(Sessions.presented(headers)).contains(token);
        assertThat(sessions.accepts(headers)).isTrue();
        assertThat(sessions.setCookie(token, true)).endsWith("; Secure").contains("Max-Age=1800");
    }
}
