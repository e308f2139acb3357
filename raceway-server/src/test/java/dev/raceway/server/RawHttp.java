package dev.raceway.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Requests written byte for byte on a socket, for what an HTTP client library would tidy up or refuse to send. */
final class RawHttp {
    private RawHttp() {
    }

    /** Sends {@code request} as is and returns everything the server answers until it closes (or 10 s pass). */
    static String exchange(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder sb = new StringBuilder();
            byte[] buf = new byte[8192];
            int n;
            try {
                while ((n = in.read(buf)) != -1) {
                    sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                }
            } catch (java.net.SocketException | java.net.SocketTimeoutException e) {
                // connection reset after the answer or idle: what was read is the answer
            }
            return sb.toString();
        }
    }

    /** The status code of the first answer in {@code response}, or -1 when there is none. */
    static int status(String response) {
        if (!response.startsWith("HTTP/1.1 ") || response.length() < 12) {
            return -1;
        }
        return Integer.parseInt(response.substring(9, 12));
    }
}
