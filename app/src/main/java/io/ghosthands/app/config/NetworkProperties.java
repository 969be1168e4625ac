package io.ghosthands.app.config;

/**
 * What jobs may make GhostHands reach (docs/security.md; {@code gh.network.*}, see {@link
 * GhProperties#getNetwork}).
 */
public class NetworkProperties {
    /**
     * {@code GH_ALLOW_PRIVATE_NETWORKS}: whether a job's {@code target_url}, its page's requests and
     * its {@code callback_url} may reach loopback and private ranges (10/8, 172.16/12, 192.168/16,
     * 100.64/10, fc00::/7). Off in production; {@code gh dev} and the tests turn it on, as their
     * pages are on this machine. Link-local and cloud metadata addresses and GhostHands' own ports
     * stay refused either way.
     */
    private boolean allowPrivateNetworks = false;

    public boolean isAllowPrivateNetworks() {
        return allowPrivateNetworks;
    }

    public void setAllowPrivateNetworks(boolean allowPrivateNetworks) {
        this.allowPrivateNetworks = allowPrivateNetworks;
    }
}
