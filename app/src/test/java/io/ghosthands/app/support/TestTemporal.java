package io.ghosthands.app.support;

import io.ghosthands.temporaldev.TemporalDevServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * One Temporal dev server per test JVM (the same one {@code gh dev} embeds), in real time, on a free
 * port. Tests isolate themselves by namespace.
 */
public final class TestTemporal {

    private static TemporalDevServer server;

    private TestTemporal() {}

    /** {@code 127.0.0.1:<port>} of the running server. */
    public static synchronized String address() {
        if (server == null) {
            server = TemporalDevServer.start(freePort());
            TemporalDevServer s = server;
            TestShutdown.at(TestShutdown.Phase.TEMPORAL, s::close);
        }
        return "127.0.0.1:" + server.port();
    }

    /** The in-process name of the same server, for clients in this JVM. */
    public static synchronized String inProcessName() {
        address();
        return server.inProcessName();
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
