package io.ghosthands.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code gh worker} refuses a bad {@code --worker-id} before starting anything. */
class WorkerCommandTest {

    @Test
    void anEmptyOrOverlongWorkerIdIsAUsageError() {
        assertThat(GhCommand.execute("worker", "--worker-id=")).isEqualTo(2);
        assertThat(GhCommand.execute("worker", "--worker-id=" + "a".repeat(101)))
                .isEqualTo(2);
        assertThat(GhCommand.execute("worker", "--worker-id=has space")).isEqualTo(2);
    }

    @Test
    void helpListsTheCommands() {
        assertThat(GhCommand.execute("--help")).isZero();
        assertThat(GhCommand.execute("nonsense")).isEqualTo(2);
    }
}
