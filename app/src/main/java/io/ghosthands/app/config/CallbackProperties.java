package io.ghosthands.app.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Callbacks to {@code callback_url} ({@code gh.callbacks.*}; see {@link GhProperties#getCallbacks}). */
public class CallbackProperties {
    /** {@code GH_CALLBACK_SECRET}: HMAC key of {@code X-GH-Signature}. Empty: the service key. */
    private String secret = "";

    /** {@code GH_CALLBACK_MAX_AGE}: how long a callback is retried (e.g. {@code 24h}, {@code 3600s}). */
    private Duration maxAge = Duration.ofHours(24);

    /** {@code GH_CALLBACK_MAX_INTERVAL}: the longest wait between two attempts. */
    private Duration maxInterval = Duration.ofMinutes(5);

    /**
     * {@code GH_CALLBACK_KEY_HOSTS}: the callback hosts (comma list, e.g. VALET's) that are sent
     * {@code X-GH-Service-Key}; every other receiver gets the HMAC signature alone, so naming a
     * {@code callback_url} does not hand anyone the service key. Empty: no receiver gets the key.
     */
    private List<String> keyHosts = new ArrayList<>();

    public List<String> getKeyHosts() {
        return keyHosts;
    }

    public void setKeyHosts(List<String> keyHosts) {
        this.keyHosts = keyHosts;
    }

    public String getSecret() {
        return secret;
    }

    public void setSecret(String secret) {
        this.secret = secret;
    }

    public Duration getMaxAge() {
        return maxAge;
    }

    public void setMaxAge(Duration maxAge) {
        this.maxAge = maxAge;
    }

    public Duration getMaxInterval() {
        return maxInterval;
    }

    public void setMaxInterval(Duration maxInterval) {
        this.maxInterval = maxInterval;
    }
}
