package io.ghosthands.cli;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether the artifact links a stack makes (screenshots, traces: built on {@code GH_PUBLIC_URL},
 * else {@code http://localhost:<port>}) can be opened by the clients the API serves. They cannot when
 * they name this machine's loopback while the API listens on other addresses too (by default it
 * listens on all of them): a client elsewhere gets a link to its own machine.
 */
final class LinkCheck {

    private LinkCheck() {}

    /**
     * The warning to print, if any.
     *
     * @param publicUrl {@code GH_PUBLIC_URL}, blank when unset
     * @param bindAddress the address the API listens on ({@code server.address}), blank: all
     * @param port the API's port
     */
    static Optional<String> warning(String publicUrl, String bindAddress, String port) {
        String links = publicUrl == null || publicUrl.isBlank() ? "http://localhost:" + port : publicUrl.strip();
        if (!isLoopback(hostOf(links)) || isLoopback(bindAddress)) {
            return Optional.empty();
        }
        String where = bindAddress == null || bindAddress.isBlank() ? "all addresses" : bindAddress;
        return Optional.of("Warning: screenshot and trace links will start with " + links + ", but the API listens on "
                + where + ": a client on another machine cannot open them. Set GH_PUBLIC_URL to the address clients"
                + " reach the API at (e.g. http://" + "<this-host>:" + port + ").");
    }

    private static String hostOf(String url) {
        try {
            String host = URI.create(url).getHost();
            return host == null ? "" : host;
        } catch (IllegalArgumentException e) {
            return ""; // not a URL we can read: say nothing about it
        }
    }

    /** Whether {@code host} names this machine's loopback only (blank: all addresses, so no). */
    static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+|[0-9a-f:]+")) {
            return false; // a name: not resolved here (it may be this host's public name)
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
