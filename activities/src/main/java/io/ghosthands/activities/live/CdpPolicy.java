package io.ghosthands.activities.live;

import java.util.Set;

/**
 * Which Chrome DevTools Protocol commands a live viewer may send to a job's page. Only what showing
 * the page and acting in it needs: screenshots and the screencast, mouse, wheel, touch, keys and
 * typed text. Anything that could reach other pages, the browser, the job's cookies or storage, the
 * network or the file system ({@code Target.*}, {@code Browser.*}, {@code Storage.*},
 * {@code Network.*}, {@code DOM.*}, {@code Emulation.*}, {@code Runtime.*}…) is refused, as is any
 * message addressed to a {@code sessionId} (a flattened session of another target).
 * {@code Runtime.evaluate} passes only when the operator allows it ({@code GH_LIVE_ALLOW_EVALUATE}).
 * Input commands pass only in control mode and while the job is paused for a human.
 */
public final class CdpPolicy {

    /** Commands that only read the page: allowed to every viewer, watching included. */
    static final Set<String> READ = Set.of(
            "Page.enable",
            "Page.disable",
            "Page.captureScreenshot",
            "Page.startScreencast",
            "Page.stopScreencast",
            "Page.screencastFrameAck",
            "Page.getLayoutMetrics",
            "Page.bringToFront");

    /** Commands that act in the page: control mode, while the job is paused. */
    static final Set<String> INPUT = Set.of(
            "Input.dispatchMouseEvent", "Input.dispatchKeyEvent", "Input.insertText", "Input.dispatchTouchEvent");

    /** What a command is, for the relay. */
    public enum Verdict {
        /** May pass whatever the job's state. */
        READ,
        /** Input: passes only to a page paused for a human, from a viewer in control mode. */
        INPUT,
        /** Never passes. */
        REFUSED
    }

    private final boolean allowEvaluate;

    /** @param allowEvaluate whether {@code Runtime.evaluate} may pass as input ({@code GH_LIVE_ALLOW_EVALUATE}) */
    public CdpPolicy(boolean allowEvaluate) {
        this.allowEvaluate = allowEvaluate;
    }

    /**
     * The verdict for one command.
     *
     * @param method the command's {@code method}
     * @param hasSessionId whether the message names a {@code sessionId}
     */
    public Verdict judge(String method, boolean hasSessionId) {
        if (method == null || hasSessionId) {
            return Verdict.REFUSED;
        }
        if (READ.contains(method)) {
            return Verdict.READ;
        }
        if (INPUT.contains(method) || allowEvaluate && method.equals("Runtime.evaluate")) {
            return Verdict.INPUT;
        }
        return Verdict.REFUSED;
    }

    /** Whether a command is user input (mouse, keys, text) as counted in the live view's events. */
    public static boolean isInput(String method) {
        return method != null && method.startsWith("Input.");
    }

    /** The CDP error answer for a command that did not pass. */
    public static String refusal(long id, String message) {
        return "{\"id\":" + id + ",\"error\":{\"code\":-32601,\"message\":" + quote("GhostHands live view: " + message)
                + "}}";
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
