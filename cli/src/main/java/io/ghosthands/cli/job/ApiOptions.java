package io.ghosthands.cli.job;

import io.ghosthands.client.GhostHandsClient;
import picocli.CommandLine.Option;

/** Where the API is and how to authenticate; shared by every {@code gh job} command. */
public class ApiOptions {

    @Option(
            names = "--api-url",
            paramLabel = "URL",
            description = "GhostHands API (env GH_API_URL, default http://localhost:8080).")
    String apiUrl;

    @Option(names = "--key", paramLabel = "KEY", description = "Service key (env GH_SERVICE_KEY).")
    String key;

    @Option(names = "--json", description = "Print machine-readable JSON.")
    boolean json;

    GhostHandsClient client() {
        String url = apiUrl != null ? apiUrl : env("GH_API_URL", "http://localhost:8080");
        String k = key != null ? key : env("GH_SERVICE_KEY", "");
        return new GhostHandsClient(url, k);
    }

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v.strip();
    }
}
