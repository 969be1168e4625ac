package io.ghosthands.temporaldev;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The start-up probe tells a Temporal that is slow to answer (a loaded machine) from a listener
 * that is not Temporal: a slow one is waited for with longer deadlines and reused; one that speaks
 * something other than HTTP/2 is refused at once; one that never says a word is refused when
 * patience runs out. The slow Temporal is the real dev server behind a loopback proxy that holds
 * its answers back.
 */
class TemporalProbeTest {

    private static TemporalDevServer temporal;
    private static int temporalPort;

    @BeforeAll
    static void start() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            temporalPort = free.getLocalPort();
        }
        temporal = TemporalDevServer.start(temporalPort);
    }

    @AfterAll
    static void stop() {
        temporal.close();
    }

    /**
     * A TCP proxy to the dev server. Client to server bytes pass at once; server to client bytes are
     * held until {@code holdMillis} after the connection began, or, with {@code stallAfterFirstFrame},
     * only the server's first HTTP/2 frame (its SETTINGS) passes and nothing after it.
     */
    private static final class HoldingProxy implements AutoCloseable {
        final ServerSocket listener;
        final AtomicInteger connections = new AtomicInteger();

        HoldingProxy(long holdMillis, boolean stallAfterFirstFrame) throws IOException {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(
                    () -> {
                        while (!listener.isClosed()) {
                            try {
                                Socket client = listener.accept();
                                connections.incrementAndGet();
                                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), temporalPort);
                                long began = System.currentTimeMillis();
                                pump(client.getInputStream(), upstream.getOutputStream(), 0, -1, began);
                                pump(
                                        upstream.getInputStream(),
                                        client.getOutputStream(),
                                        holdMillis,
                                        stallAfterFirstFrame ? 9 : -1,
                                        began);
                            } catch (IOException e) {
                                return;
                            }
                        }
                    },
                    "holding-proxy");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        /** Copies in to out; {@code firstOnly} >= 0: copies the first frame (header + its length) and stops. */
        private static void pump(InputStream in, OutputStream out, long holdMillis, int firstOnly, long began) {
            Thread t = new Thread(
                    () -> {
                        try {
                            long wait = began + holdMillis - System.currentTimeMillis();
                            if (wait > 0) {
                                Thread.sleep(wait);
                            }
                            if (firstOnly >= 0) {
                                byte[] header = in.readNBytes(9);
                                int length =
                                        ((header[0] & 0xff) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
                                out.write(header);
                                out.write(in.readNBytes(length));
                                out.flush();
                                Thread.sleep(Long.MAX_VALUE); // then silence, the connection held open
                            }
                            in.transferTo(out);
                        } catch (IOException | InterruptedException e) {
                            // the connection ended
                        }
                    },
                    "holding-proxy-pump");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }

    @Test
    void aTemporalSlowerThanTheFirstDeadlineIsWaitedForAndReused() throws IOException {
        // answers come 4.5 s late: past the first call's 3 s deadline (what the probe used to give up at)
        try (HoldingProxy slow = new HoldingProxy(4_500, false)) {
            long started = System.nanoTime();
            assertThat(TemporalDevServer.probe("127.0.0.1", slow.port())).isEqualTo(TemporalDevServer.Probe.TEMPORAL);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void aGrpcServerThatNeverAnswersWithinPatienceIsSlowNotOther() throws IOException {
        try (HoldingProxy stalled = new HoldingProxy(0, true)) {
            long started = System.nanoTime();
            assertThat(TemporalDevServer.probe("127.0.0.1", stalled.port(), Duration.ofSeconds(5)))
                    .isEqualTo(TemporalDevServer.Probe.SLOW);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(9));
        }
    }

    @Test
    void anHttpServerIsNotTemporalAndIsToldAtOnce() throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        http.createContext("/", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        http.start();
        try {
            long started = System.nanoTime();
            // with the full patience: the protocol check answers, not a timeout
            assertThat(TemporalDevServer.probe("127.0.0.1", http.getAddress().getPort()))
                    .isEqualTo(TemporalDevServer.Probe.OTHER);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        } finally {
            http.stop(0);
        }
    }

    @Test
    void aListenerThatSaysNothingIsNotTemporalOncePatienceRunsOut() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            long started = System.nanoTime();
            assertThat(TemporalDevServer.probe("127.0.0.1", silent.getLocalPort(), Duration.ofSeconds(4)))
                    .isEqualTo(TemporalDevServer.Probe.OTHER);
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .isBetween(Duration.ofSeconds(3), Duration.ofSeconds(8));
        }
    }

    @Test
    void aClosedPortIsNothingAndTheRealServerIsTemporal() throws IOException {
        int closed;
        try (ServerSocket free = new ServerSocket(0)) {
            closed = free.getLocalPort();
        }
        assertThat(TemporalDevServer.probe("127.0.0.1", closed)).isEqualTo(TemporalDevServer.Probe.NOTHING);
        assertThat(TemporalDevServer.probe("127.0.0.1", temporalPort)).isEqualTo(TemporalDevServer.Probe.TEMPORAL);
        assertThat(TemporalDevServer.http2("127.0.0.1", temporalPort, Duration.ofSeconds(2)))
                .isEqualTo(TemporalDevServer.Speech.HTTP2);
    }
}
