package dev.raceway.sdk.internal;

import dev.raceway.sdk.okhttp.OkHttpTransport;
import dev.raceway.sdk.transport.EventTransport;
import dev.raceway.sdk.transport.JdkHttpTransport;

/**
 * Picks the transport of a client that was given none: OkHttp when the application has it on the class path (it
 * is an optional dependency of the SDK), else the JDK's {@code java.net.http}, so an application without OkHttp
 * needs nothing extra.
 *
 * <p>This class is internal and is hence not for public use.
 */
public final class Transports {
    private static final String OKHTTP_CLASS = "okhttp3.OkHttpClient";

    private Transports() {
    }

    public static EventTransport.Factory automatic() {
        return okHttpPresent(Transports.class.getClassLoader()) ? OkHttpTransport.factory()
                : JdkHttpTransport.factory();
    }

    /** The name of what {@link #automatic()} picks here, for logs and tests. */
    public static String automaticName() {
        return okHttpPresent(Transports.class.getClassLoader()) ? "okhttp" : "jdk";
    }

    static boolean okHttpPresent(ClassLoader loader) {
        try {
            Class.forName(OKHTTP_CLASS, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
