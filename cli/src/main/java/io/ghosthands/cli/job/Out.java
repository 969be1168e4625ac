package io.ghosthands.cli.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;

/** Printing for people (colours only on a terminal) and for programs (--json). */
final class Out {

    static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /** One JSON document per line (for streams such as {@code logs --json}). */
    static final ObjectMapper JSON_LINES = JSON.copy().disable(SerializationFeature.INDENT_OUTPUT);

    private final PrintWriter out;
    private final boolean colour;

    Out(PrintWriter out) {
        this.out = out;
        this.colour =
                System.console() != null && System.getenv("NO_COLOR") == null && !"dumb".equals(System.getenv("TERM"));
    }

    void line(String s) {
        out.println(s);
        out.flush();
    }

    void json(Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    /** The status word, coloured by meaning when on a terminal. */
    String status(String status) {
        if (!colour || status == null) {
            return String.valueOf(status);
        }
        String code;
        switch (status) {
            case "completed":
                code = "32";
                break;
            case "failed":
            case "expired":
                code = "31";
                break;
            case "running":
                code = "36";
                break;
            case "paused":
                code = "33";
                break;
            case "cancelled":
                code = "90";
                break;
            default:
                code = "34";
        }
        return "\u001b[" + code + "m" + status + "\u001b[0m";
    }

    String bold(String s) {
        return colour ? "\u001b[1m" + s + "\u001b[0m" : s;
    }

    /** 2m, 3h, 5d… since an ISO instant. */
    static String age(String iso) {
        if (iso == null) {
            return "-";
        }
        Duration d = Duration.between(Instant.parse(iso), Instant.now());
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m";
        }
        if (s < 86400) {
            return s / 3600 + "h";
        }
        return s / 86400 + "d";
    }

    static String duration(String fromIso, String toIso) {
        if (fromIso == null) {
            return "-";
        }
        Instant end = toIso == null ? Instant.now() : Instant.parse(toIso);
        long ms = Duration.between(Instant.parse(fromIso), end).toMillis();
        return ms < 10_000 ? String.format("%.1fs", ms / 1000.0) : (ms / 1000) + "s";
    }

    static String shortId(String id) {
        return id == null ? "-" : id.substring(0, Math.min(8, id.length()));
    }

    static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    static String clip(String s, int max) {
        if (s == null) {
            return "-";
        }
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
