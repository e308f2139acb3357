package dev.raceway.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.server.http.ApiRequest;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StaticFilesTest {
    private static ApiRequest get(String path) {
        return new ApiRequest(HttpMethod.GET, path, Map.of(), new DefaultHttpHeaders(), Unpooled.EMPTY_BUFFER,
                Map.of(), "127.0.0.1");
    }

    @Test
    void onlyFilesThatExistAreCached() {
        StaticFiles files = new StaticFiles();
        for (int i = 0; i < 500; i++) {
            assertThat(files.serve(get("/assets/missing-" + i + ".js")).status().code()).isEqualTo(200);
        }
        // index.html (the single-page fallback) is the only file read.
        assertThat(files.cachedFiles()).isEqualTo(1);
    }
}
