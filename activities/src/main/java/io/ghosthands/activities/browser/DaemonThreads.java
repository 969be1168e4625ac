package io.ghosthands.activities.browser;

import java.util.concurrent.ThreadFactory;

/** Threads of the browser side's own pools: named, and never holding the JVM open. */
final class DaemonThreads {

    private DaemonThreads() {}

    /** A factory of daemon threads called {@code name}. */
    static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
