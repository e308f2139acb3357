package dev.raceway.sdk;

/** Test helper: the line number of the caller, to compare with captured locations. */
final class Lines {
    private Lines() {
    }

    static int here() {
        return StackWalker.getInstance().walk(s -> s.skip(1).findFirst()).orElseThrow().getLineNumber();
    }
}
