package io.ghosthands.activities.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TraceModeTest {

    @Test
    void readsTheSpellingsAnOperatorWouldUse() {
        assertThat(TraceMode.parse(null)).isEqualTo(TraceMode.ACTIONS);
        assertThat(TraceMode.parse(" ")).isEqualTo(TraceMode.ACTIONS);
        assertThat(TraceMode.parse("true")).isEqualTo(TraceMode.ACTIONS); // the former boolean setting
        assertThat(TraceMode.parse("Actions")).isEqualTo(TraceMode.ACTIONS);
        assertThat(TraceMode.parse("full")).isEqualTo(TraceMode.FULL);
        assertThat(TraceMode.parse("SNAPSHOTS")).isEqualTo(TraceMode.FULL);
        assertThat(TraceMode.parse("false")).isEqualTo(TraceMode.OFF);
        assertThat(TraceMode.parse("off")).isEqualTo(TraceMode.OFF);
    }

    @Test
    void anythingElseIsAClearStartupError() {
        assertThatThrownBy(() -> TraceMode.parse("verbose"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GH_TRACE must be off, actions or full");
    }
}
