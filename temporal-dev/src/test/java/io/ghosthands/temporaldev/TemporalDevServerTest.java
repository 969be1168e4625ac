package io.ghosthands.temporaldev;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class TemporalDevServerTest {

  @Test
  void probeTellsANothingAServerAndSomethingElseApart() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    assertThat(TemporalDevServer.probe("127.0.0.1", port)).isEqualTo(TemporalDevServer.Probe.NOTHING);

    try (TemporalDevServer server = TemporalDevServer.start(port)) {
      assertThat(TemporalDevServer.probe("127.0.0.1", port)).isEqualTo(TemporalDevServer.Probe.TEMPORAL);
    }

    try (ServerSocket notTemporal = new ServerSocket(0)) {
      // accepts TCP but never speaks gRPC
      assertThat(TemporalDevServer.probe("127.0.0.1", notTemporal.getLocalPort()))
          .isEqualTo(TemporalDevServer.Probe.OTHER);
    }
  }
}
