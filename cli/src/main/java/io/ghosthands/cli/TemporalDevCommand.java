package io.ghosthands.cli;

import io.ghosthands.temporaldev.TemporalDevServer;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gh temporal-dev}: the embedded Temporal dev server on its own. */
@Command(
        name = "temporal-dev",
        mixinStandardHelpOptions = true,
        description =
                "Runs the Temporal dev server (the Java SDK's test server, real time, in memory) so that 'gh api' and 'gh worker' processes can share it. For a persistent server use 'temporal server start-dev' from the Temporal CLI, or a real cluster.")
class TemporalDevCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on (default 7233).")
    int port = 7233;

    @Override
    public Integer call() throws Exception {
        // only whether the port is free matters here: no need to wait for a slow answer
        if (TemporalDevServer.probe("127.0.0.1", port, Duration.ofSeconds(1)) != TemporalDevServer.Probe.NOTHING) {
            throw new IllegalStateException("port " + port + " is already in use");
        }
        TemporalDevServer server = TemporalDevServer.start(port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "temporal-dev-stop"));
        System.out.printf("Temporal dev server on 127.0.0.1:%d (in memory; Ctrl-C to stop)%n", port);
        System.out.flush();
        stopped.await();
        return 0;
    }
}
