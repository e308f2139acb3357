package dev.raceway.sdk.internal;

import java.util.Iterator;
import java.util.stream.Stream;

/**
 * Finds the application frame that called into the SDK, so events point at the user's code rather than at the
 * SDK (the Rust SDK's locations all point into its own client source). Uses {@link StackWalker} lazily: only
 * frames up to the first non-SDK one are materialised.
 *
 * @param file the source path of the caller's class, e.g. {@code com/example/Bank.java}
 * @param line the line number, 0 when unknown
 */
public record CallerLocation(String file, int line) {
    public static final CallerLocation UNKNOWN = new CallerLocation("unknown", 0);

    private static final StackWalker WALKER = StackWalker.getInstance();

    /** Classes (and their nested classes) whose frames are the SDK's own, never the caller's. */
    private static final String[] SDK_CLASSES = {
        "dev.raceway.sdk.RacewayClient",
        "dev.raceway.sdk.RacewayContext",
        "dev.raceway.sdk.Tracker",
        "dev.raceway.sdk.TrackedLock",
        "dev.raceway.sdk.TrackedReadWriteLock",
        "dev.raceway.sdk.HttpClientPropagation",
        "dev.raceway.sdk.internal.",
        "dev.raceway.sdk.ForkingExecutorService",
        "dev.raceway.sdk.servlet.RacewayFilter",
        "dev.raceway.sdk.okhttp.RacewayInterceptor",
    };

    /** {@code file:line}, the form the server shows. */
    public String text() {
        return line > 0 ? file + ":" + line : file;
    }

    public static CallerLocation capture() {
        return WALKER.walk(CallerLocation::firstApplicationFrame);
    }

    /** A plain loop: measurably cheaper than filter/findFirst on a stream for the few frames we look at. */
    private static CallerLocation firstApplicationFrame(Stream<StackWalker.StackFrame> frames) {
        Iterator<StackWalker.StackFrame> it = frames.iterator();
        while (it.hasNext()) {
            StackWalker.StackFrame f = it.next();
            if (!isSdkFrame(f.getClassName())) {
                return of(f);
            }
        }
        return UNKNOWN;
    }

    private static CallerLocation of(StackWalker.StackFrame f) {
        String fileName = f.getFileName();
        String cls = f.getClassName();
        int lastDot = cls.lastIndexOf('.');
        String dir = lastDot < 0 ? "" : cls.substring(0, lastDot).replace('.', '/') + "/";
        String file = fileName != null ? dir + fileName : cls;
        return new CallerLocation(file, Math.max(f.getLineNumber(), 0));
    }

    static boolean isSdkFrame(String className) {
        for (String prefix : SDK_CLASSES) {
            if (className.startsWith(prefix)) {
                if (prefix.endsWith(".")) {
                    return true;
                }
                int n = prefix.length();
                // The class itself or one of its nested/lambda classes, not e.g. RacewayClientTest.
                if (className.length() == n || className.charAt(n) == '$') {
                    return true;
                }
            }
        }
        return false;
    }
}
