package io.ghosthands.activities.browser;

import java.util.Locale;

/**
 * What Playwright trace a job keeps as its {@code trace} artifact ({@code GH_TRACE}).
 *
 * <p>{@link #ACTIONS}, the default, records every action with its timing, target and error, the
 * console and the network, and costs little. {@link #FULL} also records a DOM snapshot before and
 * after each action, so the trace viewer can show the page at every step; it makes each action
 * slower (about 25 ms on a 2-core machine, roughly a third of a form's fill time) and the trace
 * larger. The job's own full-page screenshots, after each page and at the end, are kept either way.
 */
public enum TraceMode {
    OFF,
    ACTIONS,
    FULL;

    /** {@code off|false|none}, {@code actions|on|true} or {@code full|snapshots}; blank is the default. */
    public static TraceMode parse(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "", "actions", "on", "true", "yes", "1" -> ACTIONS;
            case "full", "snapshots" -> FULL;
            case "off", "false", "none", "no", "0" -> OFF;
            default ->
                throw new IllegalArgumentException("GH_TRACE must be off, actions or full, got \"" + value + "\"");
        };
    }
}
