package io.ghosthands.activities.net;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which URLs GhostHands itself may reach for a job: its {@code target_url} and every request and
 * redirect of its page, and its {@code callback_url}. One decision for the API (at create) and the
 * workers (in the browser, before each callback), so a job cannot point GhostHands at the machine
 * it runs on or at the network behind it.
 *
 * <ul>
 *   <li>Only {@code http} and {@code https}.
 *   <li>Always refused: link-local addresses ({@code 169.254.0.0/16}, {@code fe80::/10}), cloud
 *       metadata services (by address and by name), multicast and reserved ranges, and GhostHands'
 *       own ports (the API's, the workers' status ports) on this host.
 *   <li>Refused unless {@code GH_ALLOW_PRIVATE_NETWORKS=true}: loopback ({@code 127.0.0.0/8},
 *       {@code ::1}, {@code 0.0.0.0/8}, {@code localhost}, this host's own addresses) and private
 *       ranges ({@code 10/8}, {@code 172.16/12}, {@code 192.168/16}, {@code 100.64/10},
 *       {@code fc00::/7}).
 * </ul>
 *
 * <p>Hosts are read as a browser reads them: the host after any {@code user@}, without brackets and
 * a trailing dot, and a host that ends in a number is an IPv4 address in any of its spellings
 * ({@code 0x7f000001}, {@code 2130706433}, {@code 0177.0.0.1}, {@code 127.1}). IPv6 addresses that
 * carry an IPv4 one (mapped, compatible, NAT64, 6to4) are judged by it. A name is judged by every
 * address it resolves to; one that does not resolve (yet) is not refused here — the browser's and
 * the callback sender's own checks still stand between it and a connection.
 */
public final class OutboundUrlPolicy {

    /** The reason code a refused request carries ({@code error_details.reason}). */
    public static final String BLOCKED_ADDRESS = "blocked_address";

    /** Resolves a host name to its addresses; the JDK's resolver unless a test says otherwise. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    public static final Resolver SYSTEM_RESOLVER = InetAddress::getAllByName;

    /**
     * Why a URL is refused.
     *
     * @param kind {@code invalid_url}, {@code scheme}, {@code metadata}, {@code link_local},
     *     {@code reserved}, {@code own_port}, {@code loopback} or {@code private_network}
     * @param message a sentence for the client, naming the host
     */
    public record Refusal(String kind, String message) {}

    /**
     * A URL taken apart as a browser would.
     *
     * @param uri the parsed URL
     * @param host its host: lower case, no brackets, no trailing dot
     * @param port its port, the scheme's default when not given
     * @param address the address the host spells, when it is a literal one
     */
    public record Target(URI uri, String host, int port, InetAddress address) {}

    /** A URL that passed, with the addresses it was judged by (none for a literal or an unresolvable name). */
    public record Checked(Target target, List<InetAddress> addresses) {}

    private static final Set<String> METADATA_NAMES = Set.of(
            "metadata.google.internal",
            "metadata.goog",
            "metadata",
            "instance-data",
            "instance-data.ec2.internal",
            "metadata.azure.internal",
            "metadata.platformequinix.com");

    // AWS/GCP/Azure/OpenStack/Oracle (169.254.169.254), AWS ECS task metadata, Alibaba, Azure's wire
    // server, AWS's IPv6 endpoint: refused whatever GH_ALLOW_PRIVATE_NETWORKS says
    private static final Set<InetAddress> METADATA_ADDRESSES = Set.of(
            IpAddresses.literal("169.254.169.254"),
            IpAddresses.literal("169.254.170.2"),
            IpAddresses.literal("100.100.100.200"),
            IpAddresses.literal("168.63.129.16"),
            IpAddresses.literal("fd00:ec2::254"));

    private final boolean allowPrivateNetworks;
    private final Set<Integer> ownPorts = ConcurrentHashMap.newKeySet();
    private final Set<Integer> exemptLoopbackPorts = ConcurrentHashMap.newKeySet();
    private final Resolver resolver;
    private volatile LocalAddresses localAddresses = new LocalAddresses(Set.of(), 0);

    /**
     * @param allowPrivateNetworks {@code GH_ALLOW_PRIVATE_NETWORKS}: loopback and private ranges are
     *     reachable (a developer's machine, the tests)
     * @param ownPorts GhostHands' own ports on this host (more can be added as servers bind)
     */
    public OutboundUrlPolicy(boolean allowPrivateNetworks, Collection<Integer> ownPorts) {
        this(allowPrivateNetworks, ownPorts, SYSTEM_RESOLVER);
    }

    public OutboundUrlPolicy(boolean allowPrivateNetworks, Collection<Integer> ownPorts, Resolver resolver) {
        this.allowPrivateNetworks = allowPrivateNetworks;
        for (Integer port : ownPorts) {
            addOwnPort(port);
        }
        this.resolver = resolver;
    }

    /** Private networks refused, no own port known: the strictest policy. */
    public static OutboundUrlPolicy strict() {
        return new OutboundUrlPolicy(false, List.of());
    }

    public boolean allowsPrivateNetworks() {
        return allowPrivateNetworks;
    }

    /** A port of GhostHands' own on this host (0 and negatives are ignored). */
    public OutboundUrlPolicy addOwnPort(int port) {
        if (port > 0 && port < 65536) {
            ownPorts.add(port);
        }
        return this;
    }

    public Set<Integer> ownPorts() {
        return Collections.unmodifiableSet(ownPorts);
    }

    /**
     * A loopback port that stays reachable with private networks refused. Only for tests and
     * fixtures that serve pages on this machine while proving the strict policy; never set from
     * configuration. An own port is refused even so.
     */
    public OutboundUrlPolicy exemptLoopbackPort(int port) {
        exemptLoopbackPorts.add(port);
        return this;
    }

    /** Judges the URL as written: scheme, host name, literal address and port; resolves nothing. */
    public Optional<Refusal> checkLiteral(String url) {
        try {
            Target target = parse(url);
            return target.address() != null
                    ? judge(target.host(), target.address(), target.port())
                    : judgeName(target.host(), target.port());
        } catch (Refused e) {
            return Optional.of(e.refusal());
        }
    }

    /**
     * Judges the URL and every address its host resolves to. A name that does not resolve is not
     * refused (see the class comment).
     */
    public Optional<Refusal> check(String url) {
        try {
            checked(url, false);
            return Optional.empty();
        } catch (Refused e) {
            return Optional.of(e.refusal());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /**
     * Judges the URL and its resolved addresses for a connection about to be made.
     *
     * @param requireResolved whether a name that does not resolve is an error (a connection needs one)
     * @throws Refused when refused
     * @throws UnknownHostException when the name does not resolve and {@code requireResolved}
     */
    public Checked checked(String url, boolean requireResolved) throws Refused, UnknownHostException {
        Target target = parse(url);
        if (target.address() != null) {
            throwIfRefused(judge(target.host(), target.address(), target.port()));
            return new Checked(target, List.of(target.address()));
        }
        throwIfRefused(judgeName(target.host(), target.port()));
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(target.host());
        } catch (UnknownHostException e) {
            if (requireResolved) {
                throw e;
            }
            return new Checked(target, List.of());
        }
        for (InetAddress address : addresses) {
            // every address, not the first: a resolver may hand out any of them
            throwIfRefused(judge(target.host(), address, target.port()));
        }
        return new Checked(target, List.of(addresses));
    }

    /** Judges one address a connection would go to. */
    public Optional<Refusal> checkAddress(InetAddress address, int port) {
        return judge(address.getHostAddress(), address, port);
    }

    private static void throwIfRefused(Optional<Refusal> refusal) throws Refused {
        if (refusal.isPresent()) {
            throw new Refused(refusal.get());
        }
    }

    /** Parses a URL's scheme, host and port the way a browser does, refusing what it cannot read. */
    public static Target parse(String url) throws Refused {
        if (url == null || url.isBlank()) {
            throw refused("invalid_url", "is not a URL");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw refused("invalid_url", "is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw refused("scheme", "must use http or https");
        }
        // getHost() is the host after any user@ (as browsers read it), or null when the authority is
        // not a plain host (percent-encoded, non-ASCII, '_'): refused rather than guessed at
        String raw = uri.getHost();
        if (raw == null || raw.isEmpty()) {
            throw refused("invalid_url", "has no usable host");
        }
        String host = raw.toLowerCase(Locale.ROOT);
        InetAddress address = null;
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
            address = IpAddresses.literal(host);
            if (address == null) {
                throw refused("invalid_url", "has an invalid IPv6 address");
            }
        } else {
            while (host.endsWith(".")) {
                host = host.substring(0, host.length() - 1);
            }
            if (host.isEmpty()) {
                throw refused("invalid_url", "has no usable host");
            }
            if (IpAddresses.endsInNumber(host)) {
                address = IpAddresses.ipv4(host);
                if (address == null) {
                    throw refused("invalid_url", "has a host that is neither a name nor a valid IPv4 address: " + raw);
                }
            }
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return new Target(uri, host, port, address);
    }

    private Optional<Refusal> judgeName(String host, int port) {
        if (METADATA_NAMES.contains(host)) {
            return refusal("metadata", host + " is a cloud metadata service");
        }
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            // browsers resolve these to loopback themselves, whatever DNS says
            return judge(host, InetAddress.getLoopbackAddress(), port);
        }
        return Optional.empty();
    }

    private Optional<Refusal> judge(String host, InetAddress given, int port) {
        InetAddress address = IpAddresses.embeddedIpv4(given);
        String shown = host.equals(address.getHostAddress()) || host.equals(given.getHostAddress())
                ? address.getHostAddress()
                : host + " (" + address.getHostAddress() + ")";
        if (METADATA_ADDRESSES.contains(address) || METADATA_ADDRESSES.contains(given)) {
            return refusal("metadata", shown + " is a cloud metadata service");
        }
        if (address.isLinkLocalAddress()) {
            return refusal("link_local", shown + " is a link-local address (169.254.0.0/16, fe80::/10)");
        }
        if (address.isMulticastAddress() || IpAddresses.reserved(address)) {
            return refusal("reserved", shown + " is a multicast, broadcast or reserved address");
        }
        boolean local = thisHost(address);
        if (local && ownPorts.contains(port)) {
            return refusal("own_port", shown + ":" + port + " is GhostHands' own port on this host");
        }
        if (allowPrivateNetworks) {
            return Optional.empty();
        }
        if (local) {
            if (address.isLoopbackAddress() && exemptLoopbackPorts.contains(port)) {
                return Optional.empty();
            }
            return refusal(
                    "loopback", shown + " is this machine (loopback); set GH_ALLOW_PRIVATE_NETWORKS=true to allow");
        }
        if (IpAddresses.privateRange(address)) {
            return refusal(
                    "private_network",
                    shown + " is a private network address; set GH_ALLOW_PRIVATE_NETWORKS=true" + " to allow");
        }
        return Optional.empty();
    }

    /** Loopback, unspecified ({@code 0.0.0.0/8}, {@code ::}) or one of this host's own addresses. */
    private boolean thisHost(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (b.length == 4 && b[0] == 0) {
            return true; // 0.0.0.0/8: "this network", which Linux connects to loopback
        }
        return localAddresses().contains(address);
    }

    private Set<InetAddress> localAddresses() {
        LocalAddresses cached = localAddresses;
        long now = System.nanoTime();
        if (cached.until - now > 0) {
            return cached.addresses;
        }
        Set<InetAddress> addresses = new HashSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    addresses.add(IpAddresses.stripScope(a));
                }
            }
        } catch (SocketException e) {
            // without the list, only loopback and unspecified count as this host
        }
        localAddresses = new LocalAddresses(Set.copyOf(addresses), now + 60_000_000_000L);
        return addresses;
    }

    private record LocalAddresses(Set<InetAddress> addresses, long until) {}

    private static Optional<Refusal> refusal(String kind, String message) {
        return Optional.of(new Refusal(kind, message));
    }

    private static Refused refused(String kind, String message) {
        return new Refused(new Refusal(kind, message));
    }

    /** A URL the policy refuses. */
    public static final class Refused extends Exception {
        private final Refusal refusal;

        public Refused(Refusal refusal) {
            super(refusal.message(), null, false, false);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    @Override
    public String toString() {
        List<Integer> ports = new ArrayList<>(ownPorts);
        Collections.sort(ports);
        return "OutboundUrlPolicy{privateNetworks=" + (allowPrivateNetworks ? "allowed" : "refused") + ", ownPorts="
                + ports + "}";
    }
}
