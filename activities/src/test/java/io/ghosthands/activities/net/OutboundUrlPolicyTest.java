package io.ghosthands.activities.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The outbound URL policy on its own: hostile URLs in their many spellings, with private networks
 * refused and allowed. Names resolve through a table here, so no lookup leaves the test.
 */
class OutboundUrlPolicyTest {

    static final int API_PORT = 8080;
    static final int WORKER_PORT = 3101;

    /** Names as a hostile DNS would answer them; anything else does not resolve. */
    static final Map<String, String> DNS = Map.of(
            "rebind.example", "127.0.0.1",
            "metadata-alias.example", "169.254.169.254",
            "intranet.example", "10.1.2.3",
            "jobs.example", "93.184.216.34",
            "split.example", "93.184.216.34,192.168.1.1");

    static InetAddress[] resolve(String host) throws UnknownHostException {
        String addresses = DNS.get(host);
        if (addresses == null) {
            throw new UnknownHostException(host);
        }
        String[] parts = addresses.split(",");
        InetAddress[] out = new InetAddress[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = InetAddress.getByName(parts[i]); // literals only: no lookup
        }
        return out;
    }

    static OutboundUrlPolicy policy(boolean allowPrivate) {
        return new OutboundUrlPolicy(allowPrivate, List.of(API_PORT, WORKER_PORT), OutboundUrlPolicyTest::resolve);
    }

    static Optional<String> kind(OutboundUrlPolicy policy, String url) {
        return policy.check(url).map(OutboundUrlPolicy.Refusal::kind);
    }

    @ParameterizedTest(name = "{0}: {1} / {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                // url                                              | strict          | private networks allowed
                // (hosts java.net.URI cannot read as a host, e.g. a dotted one with a trailing dot or a hex
                // part, are refused as invalid whatever the policy: they were before it too)
                "http://169.254.169.254/latest/meta-data/            | metadata        | metadata",
                "http://169.254.169.254.:80/                         | invalid_url     | invalid_url",
                "http://0xa9fea9fe/                                  | metadata        | metadata",
                "http://2852039166/                                  | metadata        | metadata",
                "http://[::ffff:169.254.169.254]/                    | metadata        | metadata",
                "http://[fd00:ec2::254]/                             | metadata        | metadata",
                "http://100.100.100.200/                             | metadata        | metadata",
                "http://metadata.google.internal/computeMetadata/v1/ | metadata        | metadata",
                "http://metadata-alias.example/                      | metadata        | metadata",
                "http://169.254.1.1/                                 | link_local      | link_local",
                "http://[fe80::1]/                                   | link_local      | link_local",
                "http://224.0.0.1/                                   | reserved        | reserved",
                "http://255.255.255.255/                             | reserved        | reserved",
                "http://127.0.0.1:8080/api/v1/gh/jobs                | own_port        | own_port",
                "http://localhost:3101/worker/drain                  | own_port        | own_port",
                "http://0x7f000001:3101/worker/status                | own_port        | own_port",
                "http://[::1]:8080/                                  | own_port        | own_port",
                "http://0.0.0.0:3101/                                | own_port        | own_port",
                "http://127.0.0.1/                                   | loopback        | ",
                "http://127.0.0.1./                                  | invalid_url     | invalid_url",
                "http://0x7f.0.0.1/                                  | invalid_url     | invalid_url",
                "http://2130706433/                                  | loopback        | ",
                "http://017700000001/                                | loopback        | ",
                "http://0177.0.0.1/                                  | loopback        | ",
                "http://0x7f.0.0.1/                                  | invalid_url     | invalid_url",
                "http://evil@127.0.0.1/                              | loopback        | ",
                "http://jobs.example:443@127.0.0.1/                  | loopback        | ",
                "http://[::1]/                                       | loopback        | ",
                "http://[::ffff:127.0.0.1]/                          | loopback        | ",
                "http://[::ffff:7f00:1]/                             | loopback        | ",
                "http://[::127.0.0.1]/                               | loopback        | ",
                "http://[64:ff9b::7f00:1]/                           | loopback        | ",
                "http://[2002:7f00:1::]/                             | loopback        | ",
                "http://0.0.0.0/                                     | loopback        | ",
                "http://0/                                           | loopback        | ",
                "http://localhost/                                   | loopback        | ",
                "http://LOCALHOST./                                  | loopback        | ",
                "http://app.localhost/                               | loopback        | ",
                "http://rebind.example/                              | loopback        | ",
                "http://10.0.0.1/                                    | private_network | ",
                "http://172.16.5.4/                                  | private_network | ",
                "http://172.31.255.255/                              | private_network | ",
                "http://192.168.0.1/                                 | private_network | ",
                "http://100.64.0.1/                                  | private_network | ",
                "http://[fc00::1]/                                   | private_network | ",
                "http://[fd12:3456::1]/                              | private_network | ",
                "http://intranet.example/                            | private_network | ",
                "http://split.example/                               | private_network | ",
                "ftp://jobs.example/                                 | scheme          | scheme",
                "file:///etc/passwd                                  | scheme          | scheme",
                "javascript:alert(1)                                 | scheme          | scheme",
                "http://1.2.3.4.5/                                   | invalid_url     | invalid_url",
                "http://256.0.0.1/                                   | invalid_url     | invalid_url",
                "http://0x100000000/                                 | invalid_url     | invalid_url",
                "http://%31%32%37.0.0.1/                             | invalid_url     | invalid_url",
                "http:///path                                        | invalid_url     | invalid_url",
            })
    void hostileUrlsAreRefused(String url, String strict, String withPrivate) {
        assertThat(kind(policy(false), url)).as("strict: %s", url).isEqualTo(Optional.ofNullable(strict));
        assertThat(kind(policy(true), url)).as("private allowed: %s", url).isEqualTo(Optional.ofNullable(withPrivate));
    }

    @ParameterizedTest
    @CsvSource({
        "https://jobs.example/apply?x=1", "http://93.184.216.34:8080/", "https://boards.greenhouse.io.unresolvable/",
        "http://172.32.0.1/", "http://[2606:4700::1111]/", "HTTPS://JOBS.EXAMPLE/"
    })
    void publicUrlsAndUnresolvableNamesPass(String url) {
        assertThat(policy(false).check(url)).isEmpty();
        assertThat(policy(true).check(url)).isEmpty();
    }

    @Test
    void aConnectionNeedsANameThatResolves() throws Exception {
        OutboundUrlPolicy policy = policy(false);
        assertThat(policy.checked("https://jobs.example/x", true).addresses())
                .containsExactly(InetAddress.getByName("93.184.216.34"));
        Assertions.assertThatThrownBy(() -> policy.checked("https://nowhere.example/", true))
                .isInstanceOf(UnknownHostException.class);
    }

    @Test
    void ownPortsAddedLaterAreRefusedAndExemptLoopbackPortsOnlyOpenLoopback() {
        OutboundUrlPolicy policy = policy(false).exemptLoopbackPort(4000);
        assertThat(kind(policy, "http://127.0.0.1:4000/page")).isEmpty();
        assertThat(kind(policy, "http://10.0.0.1:4000/page")).contains("private_network");
        assertThat(kind(policy, "http://127.0.0.1:4001/page")).contains("loopback");
        policy.addOwnPort(4000);
        assertThat(kind(policy, "http://127.0.0.1:4000/page")).contains("own_port");
    }

    @Test
    void theMessageNamesTheHostAndTheRule() {
        assertThat(policy(false).check("http://0x7f000001/").orElseThrow().message())
                .contains("127.0.0.1")
                .contains("GH_ALLOW_PRIVATE_NETWORKS");
        assertThat(policy(true)
                        .check("http://metadata.google.internal/")
                        .orElseThrow()
                        .message())
                .contains("metadata");
    }

    @Test
    void literalChecksResolveNothing() {
        OutboundUrlPolicy policy = new OutboundUrlPolicy(false, List.of(), host -> {
            throw new AssertionError("resolved " + host);
        });
        assertThat(policy.checkLiteral("http://rebind.example/")).isEmpty();
        assertThat(policy.checkLiteral("http://2130706433/"))
                .map(OutboundUrlPolicy.Refusal::kind)
                .contains("loopback");
    }
}
